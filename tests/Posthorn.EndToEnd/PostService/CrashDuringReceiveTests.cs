using Posthorn.EndToEnd.Support;

namespace Posthorn.EndToEnd.PostService;

/// <summary>
/// The server is SIGKILLed while its receive-pack child is still busy (a slow pre-receive hook):
/// the orphan must not move a ref nobody will announce, and the user's retry must be received and
/// announced like any push.
/// </summary>
[Collection(OrphanSweepCollection.Name)]
public sealed class CrashDuringReceiveTests
{
    private static readonly Dictionary<string, string> Environment = new()
    {
        ["Delivery__RetrySchedule__0"] = "00:00:00.200",
        ["Delivery__RetrySchedule__1"] = "00:00:01",
        ["Delivery__Jitter"] = "0",
        ["Delivery__AttemptTimeout"] = "00:00:30",
    };

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ServerKilledWhileReceivePackRuns_TheOrphanMovesNoRef_AndTheRetriedPushIsAnnounced(string backend)
    {
        await using var site = await Site.StartAsync(backend, Environment);
        await using var receiver = await Receiver.StartAsync();
        var (work, bare, gate, first, second) = await PushHeldByAPreReceiveHookAsync(site, receiver);
        var interrupted = site.Git.TryRunAsync(work, "push", "-q", site.Url("crash"), "main");
        await Processes.WaitForFileAsync(Path.Combine(gate, "started"), TimeSpan.FromSeconds(60));
        await site.Server.KillServerOnlyAsync();
        await File.WriteAllTextAsync(Path.Combine(gate, "release"), "");
        Assert.NotEqual(0, (await interrupted).ExitCode);
        // The orphaned receive-pack runs on, reaches its ref update, finds no server to journal it, and ends.
        await Processes.WaitUntilGoneAsync(TimeSpan.FromSeconds(60), "receive-pack", bare);

        Assert.Equal(first, (await site.Git.RunAsync(bare, "rev-parse", "refs/heads/main")).Trim());

        await site.Server.StartAsync();
        var retry = await site.Git.TryRunAsync(work, "push", site.Url("crash"), "main");
        Assert.Equal(0, retry.ExitCode);
        Assert.DoesNotContain("Everything up-to-date", retry.Stderr, StringComparison.Ordinal);

        var announced = await receiver.WaitForAsync(r => ReceivedPayload.Of(r).GetProperty("commits").EnumerateArray()
            .Any(c => c.GetProperty("raw_node").GetString() == second), 1, TimeSpan.FromSeconds(60));
        Assert.Equal("alice", ReceivedPayload.Of(announced[0]).GetProperty("user").GetString());
        Assert.Equal(second, (await site.Git.RunAsync(bare, "rev-parse", "refs/heads/main")).Trim());
    }

    [Fact]
    public async Task ServerRestartedWhileItsPredecessorsReceivePackStillRuns_KillsTheOrphan()
    {
        await using var site = await Site.StartAsync("sqlite", Environment);
        await using var receiver = await Receiver.StartAsync();
        var (work, bare, gate, first, _) = await PushHeldByAPreReceiveHookAsync(site, receiver);
        var interrupted = site.Git.TryRunAsync(work, "push", "-q", site.Url("crash"), "main");
        await Processes.WaitForFileAsync(Path.Combine(gate, "started"), TimeSpan.FromSeconds(60));
        await site.Server.KillServerOnlyAsync();
        await interrupted;
        Assert.NotEmpty(Processes.Matching("receive-pack", bare));

        // The gate is never released: only the new server's sweep can end the orphan.
        await site.Server.StartAsync();
        await Processes.WaitUntilGoneAsync(TimeSpan.FromSeconds(60), "receive-pack", bare);

        Assert.Equal(first, (await site.Git.RunAsync(bare, "rev-parse", "refs/heads/main")).Trim());
        Assert.Contains("orphaned by the earlier server", await site.Server.LogContainingAsync("orphaned by the earlier server"), StringComparison.Ordinal);
    }

    /// <summary>
    /// Pushes one commit normally (announced), then installs a pre-receive hook that holds
    /// receive-pack until the test creates {gate}/release (bounded: 5 minutes), and commits a second.
    /// </summary>
    [Fact]
    public async Task ClientKilledOnceItHasSentThePush_GitFinishes_TheRefMovesAndIsAnnounced_NoLockIsLeft()
    {
        // Before, the server stopped receive-pack when the client hung up at any point; stopped while
        // it moved refs, git left their .lock files and every later push of those refs failed.
        await using var site = await Site.StartAsync("sqlite", Environment);
        await using var receiver = await Receiver.StartAsync();
        var (work, bare, gate, _, second) = await PushHeldByAPreReceiveHookAsync(site, receiver);
        using var client = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("git", ["push", "-q", site.Url("crash"), "main"])
        {
            WorkingDirectory = work,
            UseShellExecute = false,
            RedirectStandardError = true,
            Environment = { ["GIT_TERMINAL_PROMPT"] = "0" },
        })!;
        await Processes.WaitForFileAsync(Path.Combine(gate, "started"), TimeSpan.FromSeconds(60)); // the pack is in: pre-receive runs
        client.Kill(entireProcessTree: true);
        await client.WaitForExitAsync();
        await File.WriteAllTextAsync(Path.Combine(gate, "release"), "");
        await Processes.WaitUntilGoneAsync(TimeSpan.FromSeconds(60), "receive-pack", bare);

        Assert.Equal(second, (await site.Git.RunAsync(bare, "rev-parse", "refs/heads/main")).Trim());
        var announced = await receiver.WaitForAsync(r => ReceivedPayload.Of(r).GetProperty("commits").EnumerateArray()
            .Any(c => c.GetProperty("raw_node").GetString() == second), 1, TimeSpan.FromSeconds(60));
        Assert.Single(announced);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(bare, "refs"), "*.lock", SearchOption.AllDirectories));
    }

    private static async Task<(string Work, string Bare, string Gate, string First, string Second)> PushHeldByAPreReceiveHookAsync(Site site, Receiver receiver)
    {
        var work = await Repos.CreateAsync(site, "crash");
        await Hook.AddAsync(site, "crash", receiver.Url + "/crash");
        var first = await Repos.CommitAsync(site, work, "a.txt");
        await Repos.PushAsync(site, work, "crash", "main");
        await receiver.WaitForAsync(1);

        var bare = Path.Combine(site.Server.DataDirectory, "repositories", "alice", "crash.git");
        var gate = Path.Combine(site.Folder.Path, "gate");
        Directory.CreateDirectory(gate);
        var preReceive = Path.Combine(bare, "hooks", "pre-receive");
        await File.WriteAllTextAsync(preReceive,
            $"#!/bin/sh\ntouch '{gate}/started'\ni=0\nwhile [ ! -e '{gate}/release' ] && [ $i -lt 6000 ]; do sleep 0.05; i=$((i+1)); done\nexit 0\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(preReceive, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var second = await Repos.CommitAsync(site, work, "b.txt");
        return (work, bare, gate, first, second);
    }
}
