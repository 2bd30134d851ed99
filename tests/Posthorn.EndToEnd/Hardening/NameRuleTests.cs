using System.Net;
using Posthorn.EndToEnd.Support;

namespace Posthorn.EndToEnd.Hardening;

/// <summary>
/// Regression: POST /api/repos {"slug":"nl\n"} created a folder "nl\n.git" and then answered 500,
/// because .NET's "$" matches before a final newline. Names are refused before anything is created.
/// </summary>
public sealed class NameRuleTests
{
    [Fact]
    public async Task CreateRepository_SlugWithTrailingNewlineOrWorse_Is400_AndCreatesNoFolder()
    {
        await using var site = await Site.StartAsync();

        foreach (var slug in new[] { "nl\n", "nl\r\n", "nl\n\n", "nl\u0000", "../nl", "nl/x" })
        {
            using var response = await site.ApiAsync(HttpMethod.Post, "/api/repos", "alice", new { slug });

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("\"field\":\"slug\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var repositories = Path.Combine(site.Server.DataDirectory, "repositories");
        var folders = Directory.Exists(repositories) ? Directory.GetFileSystemEntries(repositories, "*", SearchOption.AllDirectories) : [];
        Assert.DoesNotContain(folders, f => Path.GetFileName(f).StartsWith("nl", StringComparison.Ordinal));
        Assert.Empty((await site.ApiJsonAsync(HttpMethod.Get, "/api/repos", "alice")).EnumerateArray());
    }

    [Fact]
    public async Task CreateRepository_OwnerWithTrailingNewline_IsRefused()
    {
        await using var site = await Site.StartAsync();

        using var response = await site.ApiAsync(HttpMethod.Post, "/api/repos", "root", new { owner = "alice\n", slug = "fine" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(Directory.Exists(Path.Combine(site.Server.DataDirectory, "repositories", "alice\n")));
    }
}
