using System.Net;
using Posthorn.EndToEnd.Support;

namespace Posthorn.EndToEnd.Hardening;

/// <summary>
/// Regression: POST /api/repos {"slug":"nl\n"} created a folder "nl\n.git" and then answered 500,
/// because .NET's "$" matches before a final newline. Names are refused before anything is created.
/// </summary>
public sealed class NameRuleTests(HardenedSite fixture) : IClassFixture<HardenedSite>
{
    [Fact]
    public async Task CreateRepository_SlugWithTrailingNewlineOrWorse_Is400_AndCreatesNoFolder()
    {
        var site = fixture.Site;

        foreach (var slug in new[] { "nl\n", "nl\r\n", "nl\n\n", "nl\u0000", "../nl", "nl/x" })
        {
            using var response = await site.ApiAsync(HttpMethod.Post, "/api/repos", "alice", new { slug });

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("\"field\":\"slug\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var repositories = Path.Combine(site.Server.DataDirectory, "repositories");
        var folders = Directory.Exists(repositories) ? Directory.GetFileSystemEntries(repositories, "*", SearchOption.AllDirectories) : [];
        Assert.DoesNotContain(folders, f => Path.GetFileName(f).StartsWith("nl", StringComparison.Ordinal));
        Assert.DoesNotContain((await site.ApiJsonAsync(HttpMethod.Get, "/api/repos", "alice")).EnumerateArray(), r => r.GetProperty("slug").GetString()!.StartsWith("nl", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateRepository_OwnerWithTrailingNewline_IsRefused()
    {
        var site = fixture.Site;

        using var response = await site.ApiAsync(HttpMethod.Post, "/api/repos", "root", new { owner = "alice\n", slug = "fine" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(Directory.Exists(Path.Combine(site.Server.DataDirectory, "repositories", "alice\n")));
    }

    [Fact]
    public async Task CreateToken_LabelWithNewline_Is400()
    {
        using var response = await fixture.Site.ApiAsync(HttpMethod.Post, "/api/user/tokens", "eve", new { name = "ci\n" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty((await fixture.Site.ApiJsonAsync(HttpMethod.Get, "/api/user/tokens", "eve")).EnumerateArray());
    }
}
