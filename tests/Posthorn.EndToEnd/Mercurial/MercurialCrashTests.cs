using Posthorn.EndToEnd.PostService;
using Posthorn.EndToEnd.Support;

namespace Posthorn.EndToEnd.Mercurial;

/// <summary>
/// The server is SIGKILLed while hgweb is inside an hg push (held by a pretxnchangegroup hook of the
/// repository's own, which runs before Posthorn's pretxnclose hook): the orphaned hg must roll its
/// transaction back (nobody journals it), and the user's retry must be received and announced.
/// </summary>
public sealed class MercurialCrashTests
{
    [Fact]
    public async Task ServerKilledWhileHgPushRuns_TheOrphanLandsNothing_AndTheRetriedPushIsAnnounced()
    {
        await using var site = await Site.StartAsync("sqlite", new Dictionary<string, string> { ["Delivery__RetrySchedule__0"] = "00:00:00.200", ["Delivery__Jitter"] = "0" });
        await using var receiver = await Receiver.StartAsync();
        var hg = new HgCli(site.Folder.Sub("hg-home"));
        var work = await HgWork.CloneWithServiceAsync(site, hg, "crash", receiver.Url);
        var first = await hg.CommitFileAsync(work, "a.txt", "1\n", "first");
        await hg.RunAsync(work, "push", HgCli.Url(site, "crash"));
        await receiver.WaitForAsync(1);

        var repository = Path.Combine(site.Server.DataDirectory, "repositories", "alice", "crash.hg");
        var gate = site.Folder.Sub("gate");
        await File.AppendAllTextAsync(Path.Combine(repository, ".hg", "hgrc"),
            $"[hooks]\npretxnchangegroup.hold = touch {gate}/started; for i in $(seq 3000); do [ -e {gate}/release ] && exit 0; sleep 0.1; done; exit 1\n");
        var second = await hg.CommitFileAsync(work, "a.txt", "2\n", "second");
        var interrupted = hg.TryRunAsync(work, "push", HgCli.Url(site, "crash"));
        await Processes.WaitForFileAsync(Path.Combine(gate, "started"), TimeSpan.FromSeconds(60));
        await site.Server.KillServerOnlyAsync();
        await File.WriteAllTextAsync(Path.Combine(gate, "release"), "");
        Assert.NotEqual(0, (await interrupted).ExitCode);
        // The orphaned hgweb reaches pretxnclose, finds no server to journal its push, and rolls back.
        await Processes.WaitUntilGoneAsync(TimeSpan.FromSeconds(60), "cgi", repository);

        Assert.Equal(first, (await hg.RunAsync(repository, "log", "-r", "tip", "-T", "{node}")).Trim());

        await site.Server.StartAsync();
        await hg.RunAsync(work, "push", HgCli.Url(site, "crash"));

        var announced = await receiver.WaitForAsync(r => ReceivedPayload.Of(r).GetProperty("commits").EnumerateArray()
            .Any(c => c.GetProperty("raw_node").GetString() == second), 1, TimeSpan.FromSeconds(60));
        Assert.Equal("alice", ReceivedPayload.Of(announced[0]).GetProperty("user").GetString());
        Assert.Equal(second, (await hg.RunAsync(repository, "log", "-r", "tip", "-T", "{node}")).Trim());
    }
}
