using Posthorn.EndToEnd.Support;

namespace Posthorn.EndToEnd.Mercurial;

/// <summary>
/// The git permission rules hold for hg clients of Mercurial repositories (users as in <see cref="Site"/>:
/// bob read, carol write, eve nothing): private repositories ask anonymous callers for credentials and
/// are invisible to strangers (404), pushing needs write permission, and git cannot reach them.
/// </summary>
public sealed class MercurialPermissionTests(MercurialSite fixture) : IClassFixture<MercurialSite>
{
    private Site Site => fixture.Site;

    [Theory]
    [InlineData("open", null, true)]
    [InlineData("secret", null, false)]
    [InlineData("secret", "eve", false)]
    [InlineData("secret", "bob", true)]
    public async Task Clone(string slug, string? user, bool allowed)
    {
        var target = Path.Combine(Site.Folder.Path, $"clone-{slug}-{user ?? "anon"}-{Guid.NewGuid():N}");
        var result = await fixture.Hg.TryRunAsync(Site.Folder.Path, "clone", HgCli.Url(Site, slug, user), target);

        Assert.Equal(allowed, result.ExitCode == 0);
        Assert.Equal(allowed, File.Exists(Path.Combine(target, "README")));
    }

    [Theory]
    [InlineData("open", null, false)]
    [InlineData("open", "bob", false)]
    [InlineData("secret", "carol", true)]
    public async Task Push(string slug, string? user, bool allowed)
    {
        var work = Path.Combine(Site.Folder.Path, $"push-{slug}-{user ?? "anon"}-{Guid.NewGuid():N}");
        await fixture.Hg.RunAsync(Site.Folder.Path, "clone", HgCli.Url(Site, slug), work);
        await fixture.Hg.CommitFileAsync(work, "by-" + (user ?? "anon"), "x\n", "push attempt");

        var result = await fixture.Hg.TryRunAsync(work, "push", HgCli.Url(Site, slug, user));

        Assert.Equal(allowed, result.ExitCode == 0);
        // hg outgoing exits 1 when the server already has every local changeset.
        var outgoing = await fixture.Hg.TryRunAsync(work, "outgoing", HgCli.Url(Site, slug));
        Assert.Equal(allowed, outgoing.ExitCode == 1);
    }

    [Theory]
    [InlineData(null, 401)]
    [InlineData("eve", 404)]
    [InlineData("bob", 200)]
    public async Task PrivateRepository_AnswersWireCommandsLikeGit(string? user, int status)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/alice/secret?cmd=capabilities");
        if (user is not null)
        {
            request.Headers.Authorization = PosthornServer.Basic(user, Site.Password);
        }

        using var response = await Site.Server.Http.SendAsync(request);

        Assert.Equal(status, (int)response.StatusCode);
    }

    [Fact]
    public async Task ApiCreate_WithScmHg_MakesAMercurialRepository_AndRefusesAnUnknownScm()
    {
        var created = await Site.ApiJsonAsync(HttpMethod.Post, "/api/repos", body: new { slug = "viaapi", scm = "hg" });
        Assert.Equal("hg", created.GetProperty("scm").GetString());
        Assert.Equal(Site.Server.BaseUrl + "/alice/viaapi", created.GetProperty("clone_url").GetString());
        // An empty repository: hg names its null revision.
        Assert.Equal("000000000000", (await fixture.Hg.RunAsync(Site.Folder.Path, "identify", HgCli.Url(Site, "viaapi"))).Trim());

        using var refused = await Site.ApiAsync(HttpMethod.Post, "/api/repos", body: new { slug = "badscm", scm = "svn" });
        Assert.Equal(400, (int)refused.StatusCode);
    }

    [Fact]
    public async Task GitCannotReachAMercurialRepository()
    {
        var result = await Site.Git.TryRunAsync(Site.Folder.Path, "ls-remote", Site.Url("open"));

        Assert.NotEqual(0, result.ExitCode);
    }
}
