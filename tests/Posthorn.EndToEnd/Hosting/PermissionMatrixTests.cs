using System.Net;
using Posthorn.EndToEnd.Support;

namespace Posthorn.EndToEnd.Hosting;

/// <summary>Shared site for the matrix: one public and one private repository with content.</summary>
public sealed class PermissionSite : IAsyncLifetime
{
    public Site Site { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Site = await Site.StartAsync();
        foreach (var (slug, isPrivate) in new[] { ("open", false), ("secret", true) })
        {
            await Site.CreateRepositoryAsync(slug, isPrivate);
            var work = await Site.Git.InitWithCommitsAsync(Path.Combine(Site.Folder.Path, "seed-" + slug), "README");
            await Site.Git.RunAsync(work, "push", Site.Url(slug), "main");
        }
    }

    public async Task DisposeAsync() => await Site.DisposeAsync();
}

/// <summary>
/// anonymous / none / read / write / admin × public / private × clone / push / API, cell by cell.
/// Private repositories answer anonymous callers 401 and signed-in strangers 404, never 403, so their names don't leak.
/// </summary>
public sealed class PermissionMatrixTests(PermissionSite fixture) : IClassFixture<PermissionSite>
{
    private Site Site => fixture.Site;

    [Theory]
    [InlineData("open", null, true)]
    [InlineData("open", "eve", true)]
    [InlineData("open", "bob", true)]
    [InlineData("open", "carol", true)]
    [InlineData("open", "dave", true)]
    [InlineData("secret", null, false)]
    [InlineData("secret", "eve", false)]
    [InlineData("secret", "bob", true)]
    [InlineData("secret", "carol", true)]
    [InlineData("secret", "dave", true)]
    [InlineData("secret", "root", true)]
    public async Task Clone(string slug, string? user, bool allowed)
    {
        var target = Path.Combine(Site.Folder.Path, $"clone-{slug}-{user ?? "anon"}-{Guid.NewGuid():N}");
        var result = await Site.Git.TryRunAsync(Site.Folder.Path, "clone", "-q", Site.Url(slug, user), target);

        Assert.Equal(allowed, result.ExitCode == 0);
        Assert.Equal(allowed, File.Exists(Path.Combine(target, "README")));
    }

    [Theory]
    [InlineData("open", null, false)]
    [InlineData("open", "eve", false)]
    [InlineData("open", "bob", false)]
    [InlineData("open", "carol", true)]
    [InlineData("open", "dave", true)]
    [InlineData("secret", null, false)]
    [InlineData("secret", "eve", false)]
    [InlineData("secret", "bob", false)]
    [InlineData("secret", "carol", true)]
    [InlineData("secret", "dave", true)]
    public async Task Push(string slug, string? user, bool allowed)
    {
        var branch = $"by-{user ?? "anon"}-{Guid.NewGuid():N}"[..20];
        var work = await Site.Git.InitWithCommitsAsync(Path.Combine(Site.Folder.Path, "push-" + branch), branch + ".txt");
        var result = await Site.Git.TryRunAsync(work, "push", Site.Url(slug, user), $"main:refs/heads/{branch}");

        Assert.Equal(allowed, result.ExitCode == 0);
        var refs = await Site.Git.RunAsync(Site.Folder.Path, "ls-remote", Site.Url(slug, "alice"));
        Assert.Equal(allowed, refs.Contains($"refs/heads/{branch}", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("open", null, HttpStatusCode.OK, HttpStatusCode.Unauthorized)]
    [InlineData("open", "eve", HttpStatusCode.OK, HttpStatusCode.Forbidden)]
    [InlineData("open", "bob", HttpStatusCode.OK, HttpStatusCode.Forbidden)]
    [InlineData("open", "carol", HttpStatusCode.OK, HttpStatusCode.Forbidden)]
    [InlineData("open", "dave", HttpStatusCode.OK, HttpStatusCode.OK)]
    [InlineData("secret", null, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized)]
    [InlineData("secret", "eve", HttpStatusCode.NotFound, HttpStatusCode.NotFound)]
    [InlineData("secret", "bob", HttpStatusCode.OK, HttpStatusCode.Forbidden)]
    [InlineData("secret", "carol", HttpStatusCode.OK, HttpStatusCode.Forbidden)]
    [InlineData("secret", "dave", HttpStatusCode.OK, HttpStatusCode.OK)]
    public async Task Api(string slug, string? user, HttpStatusCode readStatus, HttpStatusCode adminStatus)
    {
        using var read = await Site.ApiAsync(HttpMethod.Get, $"/api/repos/alice/{slug}", user);
        using var admin = await Site.ApiAsync(HttpMethod.Get, $"/api/repos/alice/{slug}/services", user);

        Assert.Equal(readStatus, read.StatusCode);
        Assert.Equal(adminStatus, admin.StatusCode);
        if (adminStatus != HttpStatusCode.OK)
        {
            Assert.Contains("\"error\"", await admin.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Api_RepositoryList_ShowsPrivateOnlyToReaders()
    {
        var anonymous = await Site.ApiJsonAsync(HttpMethod.Get, "/api/repos", user: null);
        var eve = await Site.ApiJsonAsync(HttpMethod.Get, "/api/repos", user: "eve");
        var bob = await Site.ApiJsonAsync(HttpMethod.Get, "/api/repos", user: "bob");

        Assert.DoesNotContain("alice/secret", anonymous.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("alice/secret", eve.ToString(), StringComparison.Ordinal);
        Assert.Contains("alice/secret", bob.ToString(), StringComparison.Ordinal);
        Assert.Contains("alice/open", anonymous.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadPassword_IsRejectedWith401()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/user");
        request.Headers.Authorization = PosthornServer.Basic("alice", "wrong-password");
        using var response = await Site.Server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
