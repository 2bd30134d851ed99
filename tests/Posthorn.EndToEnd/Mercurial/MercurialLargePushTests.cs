using Posthorn.EndToEnd.Support;

namespace Posthorn.EndToEnd.Mercurial;

/// <summary>
/// An hg push larger than Kestrel's default request limit (30,000,000 bytes): Mercurial requests take
/// the same limit as git's (Git:MaxRequestBodyBytes), so it lands and is recorded like any other.
/// </summary>
public sealed class MercurialLargePushTests(MercurialSite fixture) : IClassFixture<MercurialSite>
{
    [Fact]
    public async Task PushOverThirtyMegabytes_Lands_AndIsRecorded()
    {
        var site = fixture.Site;
        var hg = fixture.Hg;
        await site.CreateRepositoryAsync("large", scm: "hg");
        var work = Path.Combine(site.Folder.Path, "large-work");
        await hg.RunAsync(site.Folder.Path, "clone", HgCli.Url(site, "large"), work);
        // Random bytes do not compress: the bundle on the wire stays over the 30 MB default.
        var bytes = new byte[32 * 1024 * 1024];
        new Random(7).NextBytes(bytes);
        await File.WriteAllBytesAsync(Path.Combine(work, "large.bin"), bytes);
        await hg.RunAsync(work, "commit", "-A", "-m", "large");
        var node = (await hg.RunAsync(work, "log", "-r", ".", "-T", "{node}")).Trim();

        var result = await hg.TryRunAsync(work, "push", HgCli.Url(site, "large"));

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        var pushes = (await site.ApiJsonAsync(HttpMethod.Get, "/api/repos/alice/large/pushes")).GetProperty("pushes");
        Assert.Equal(node, pushes[0].GetProperty("ref_updates")[0].GetProperty("new").GetString());
    }
}
