using System.Text;
using Posthorn.EndToEnd.PostService;
using Posthorn.EndToEnd.Support;

namespace Posthorn.EndToEnd.Mercurial;

/// <summary>
/// Mercurial names (branches, bookmarks, tags) become recorded refs. A name storage cannot hold as it
/// is (a control character such as NUL, or bytes that are not UTF-8) is refused at push time with a
/// message to the hg client, and one already in a repository is left out of its refs, so the refs
/// on disk and the recorded refs stay equal and reconciliation has nothing to announce again and again.
/// </summary>
public sealed class MercurialRefNameTests(MercurialSite fixture) : IClassFixture<MercurialSite>
{
    private Site Site => fixture.Site;

    private HgCli Hg => fixture.Hg;

    [Theory]
    [InlineData("tag")]
    [InlineData("bookmark")]
    [InlineData("branch")]
    public async Task NameWithControlCharacter_PushIsRefusedWithAClearMessage_AndNothingLands(string kind)
    {
        var work = Path.Combine(Site.Folder.Path, $"bad-{kind}-{Guid.NewGuid():N}");
        await Hg.RunAsync(Site.Folder.Path, "clone", HgCli.Url(Site, "open"), work);
        var pushesBefore = await PushCountAsync("open");
        string[] push = ["push", HgCli.Url(Site, "open")];
        switch (kind)
        {
            case "tag":
                // hg tag refuses NUL, but .hgtags is a file like any other: a pushed changeset can carry one.
                var node = (await Hg.RunAsync(work, "log", "-r", ".", "-T", "{node}")).Trim();
                await File.WriteAllBytesAsync(Path.Combine(work, ".hgtags"), [.. Encoding.ASCII.GetBytes(node + " a"), 0, .. "b\n"u8]);
                await Hg.RunAsync(work, "commit", "-A", "-m", "tag with NUL");
                break;
            case "bookmark":
                // hg's own name check lets every control character but NUL, CR and LF through.
                await Hg.RunAsync(work, "bookmark", "mark\u0001name");
                push = [.. push, "-B", "mark\u0001name"];
                break;
            case "branch":
                await Hg.RunAsync(work, "branch", "branch\u0001name");
                await Hg.CommitFileAsync(work, "on-branch.txt", "x\n", "on a branch with a control character");
                push = [.. push, "--new-branch"];
                break;
        }

        var result = await Hg.TryRunAsync(work, push);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("control character", result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.Equal(pushesBefore, await PushCountAsync("open"));
        var served = Path.Combine(Site.Server.DataDirectory, "repositories", "alice", "open.hg");
        Assert.DoesNotContain("\u0001", await Hg.RunAsync(served, "bookmarks"), StringComparison.Ordinal);
        Assert.DoesNotContain("\u0001", await Hg.RunAsync(served, "branches"), StringComparison.Ordinal);
        Assert.DoesNotContain("\0", await Hg.RunAsync(served, "tags"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TagWithNulCommittedOnDisk_IsAnnouncedOnce_NotOnEveryReconciliationPass()
    {
        await using var site = await Site.StartAsync("sqlite", new Dictionary<string, string> { ["Git__ReconcileInterval"] = "00:00:01" });
        await using var receiver = await Receiver.StartAsync();
        var hg = new HgCli(site.Folder.Sub("hg-home"));
        var work = await HgWork.CloneWithServiceAsync(site, hg, "disk", receiver.Url);
        var first = await hg.CommitFileAsync(work, "a.txt", "1\n", "first");
        await hg.RunAsync(work, "push", HgCli.Url(site, "disk"));
        await receiver.WaitForAsync(1);

        // An operator pushes a changeset whose .hgtags names a tag with NUL straight into the repository on disk.
        await File.WriteAllBytesAsync(Path.Combine(work, ".hgtags"), [.. Encoding.ASCII.GetBytes(first + " a"), 0, .. "b\n"u8]);
        await hg.RunAsync(work, "commit", "-A", "-m", "tag with NUL");
        var tagged = (await hg.RunAsync(work, "log", "-r", ".", "-T", "{node}")).Trim();
        await hg.RunAsync(work, "push", Path.Combine(site.Server.DataDirectory, "repositories", "alice", "disk.hg"));

        var recovered = ReceivedPayload.Of((await receiver.WaitForAsync(IsRecovered, 1, TimeSpan.FromSeconds(60)))[0]);
        Assert.Equal([tagged], recovered.GetProperty("commits").EnumerateArray().Select(c => c.GetProperty("raw_node").GetString()));
        Assert.Equal(["refs/heads/default"], recovered.GetProperty("ref_changes").EnumerateArray().Select(c => c.GetProperty("ref").GetString()));
        const string LeftOut = "refs/tags/a\\x00b";
        var seen = PosthornServer.Occurrences(await site.Server.LogContainingAsync(LeftOut), LeftOut);
        Assert.True(seen >= 1, "the ref left out was not logged");

        // Three reconciliation passes later (each reads the refs and logs the name left out again),
        // still only the one recovered push: the name is left out consistently.
        Assert.True(PosthornServer.Occurrences(await site.Server.LogContainingAsync(LeftOut, seen + 3), LeftOut) >= seen + 3, "fewer than three reconciliation passes read the refs");
        var pushes = (await site.ApiJsonAsync(HttpMethod.Get, "/api/repos/alice/disk/pushes")).GetProperty("pushes");
        Assert.Equal(2, pushes.GetArrayLength());
        Assert.Single(receiver.Requests, IsRecovered);
    }

    private async Task<int> PushCountAsync(string slug) =>
        (await Site.ApiJsonAsync(HttpMethod.Get, $"/api/repos/alice/{slug}/pushes")).GetProperty("pushes").GetArrayLength();

    private static bool IsRecovered(ReceivedRequest request) =>
        ReceivedPayload.Of(request).TryGetProperty("recovered", out var flag) && flag.GetBoolean();
}
