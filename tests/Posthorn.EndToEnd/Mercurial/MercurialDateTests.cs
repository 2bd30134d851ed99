using Posthorn.EndToEnd.PostService;
using Posthorn.EndToEnd.Support;

namespace Posthorn.EndToEnd.Mercurial;

/// <summary>
/// A changeset whose date no clock holds: hg's command line refuses to write one, its Python API
/// (which other tools use) does not, and hg accepts it on push. Found by review: the date did not
/// fit Posthorn's reader, the push could not be recorded (a 500), and every later push to the
/// repository was refused behind it.
/// </summary>
public sealed class MercurialDateTests
{
    [Fact]
    public async Task ChangesetWithADateNoClockHolds_IsRecordedAndAnnounced_AtTheEpoch_AndLaterPushesFlow()
    {
        await using var site = await Site.StartAsync("sqlite");
        await using var receiver = await Receiver.StartAsync();
        var hg = new HgCli(site.Folder.Sub("hg-home"));
        var work = await HgWork.CloneWithServiceAsync(site, hg, "dates", receiver.Url);
        var odd = await CommitWithDateAsync(work, "1e300");

        await hg.RunAsync(work, "push", HgCli.Url(site, "dates"));
        var first = ReceivedPayload.Of((await receiver.WaitForAsync(1))[0]).GetProperty("commits")[0];
        Assert.Equal(odd, first.GetProperty("raw_node").GetString());
        Assert.Equal("1970-01-01 00:00:00+00:00", first.GetProperty("utctimestamp").GetString());

        await hg.RunAsync(work, "update", "-q", "tip"); // the API commit left the working copy behind
        var ordinary = await hg.CommitFileAsync(work, "b.txt", "b\n", "an ordinary date");
        await hg.RunAsync(work, "push", HgCli.Url(site, "dates"));
        var second = ReceivedPayload.Of((await receiver.WaitForAsync(2))[1]).GetProperty("commits")[0];
        Assert.Equal(ordinary, second.GetProperty("raw_node").GetString());
    }

    /// <summary>Commits a.txt in <paramref name="work"/> through hg's Python API with the date (<paramref name="seconds"/>, 0); returns the node.</summary>
    private static async Task<string> CommitWithDateAsync(string work, string seconds)
    {
        var script = $$"""
            import sys
            from mercurial import context, hg, ui as uimod
            repo = hg.repository(uimod.ui.load(), sys.argv[1].encode())
            with repo.wlock(), repo.lock():
                ctx = context.memctx(repo, [repo[b'tip'].node(), None], b'a date no clock holds', [b'a.txt'],
                    lambda repo, memctx, path: context.memfilectx(repo, memctx, path, b'a\n'),
                    user=b'Alice <alice@example.com>', date=({{seconds}}, 0))
                print(ctx.commit().hex())
            """;
        var result = await ProcessRunner.RunAsync("/usr/bin/python3", ["-c", script, work], work, new Dictionary<string, string>(), timeout: TimeSpan.FromMinutes(2));
        var node = result.EnsureSuccess("python3 (hg API commit)").Stdout.Trim();
        Assert.Matches("^[0-9a-f]{40}$", node);
        return node;
    }
}
