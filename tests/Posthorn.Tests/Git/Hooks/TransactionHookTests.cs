using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Posthorn.Core.Pushes;
using Posthorn.Git.Hooks;

namespace Posthorn.Tests.Git.Hooks;

/// <summary>
/// The installed reference-transaction hook, run by the real git, against the real loopback
/// listener: a ref moves only when the server that opened the session journals it first.
/// </summary>
public sealed class TransactionHookTests : IDisposable
{
    private readonly GitSandbox sandbox = new();
    private readonly HookListener listener = new(NullLogger<HookListener>.Instance);
    private readonly string bare;
    private readonly string first;
    private readonly string second;

    public TransactionHookTests()
    {
        var work = sandbox.NewWorkTree("work", "a.txt", "b.txt");
        first = sandbox.RevParse(work, "HEAD~1");
        second = sandbox.RevParse(work, "HEAD");
        bare = sandbox.PathOf("bare.git");
        sandbox.Git(sandbox.Root, $"clone -q --bare {work} {bare}");
        sandbox.Git(bare, $"update-ref refs/heads/main {first}");
        new TransactionHook().Install(bare);
    }

    public void Dispose()
    {
        listener.Dispose();
        sandbox.Dispose();
    }

    [Fact]
    public void RefMove_SessionJournalsIt_MovesAfterTheServerHeardExactlyThatMove()
    {
        var journaled = new ConcurrentQueue<RefUpdate>();
        using var session = listener.Open((updates, _) =>
        {
            // The ref must not have moved yet when the server is asked.
            Assert.Equal(first, sandbox.RevParse(bare, "refs/heads/main"));
            foreach (var update in updates)
            {
                journaled.Enqueue(update);
            }

            return Task.CompletedTask;
        });

        sandbox.Git(bare, $"update-ref refs/heads/main {second} {first}", environment: Env(session));

        Assert.Equal([new RefUpdate("refs/heads/main", first, second)], journaled);
        Assert.Equal(second, sandbox.RevParse(bare, "refs/heads/main"));
    }

    [Theory]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(500)]
    public void ManyRefsInOneTransaction_EveryMoveReachesTheServerOnce(int count)
    {
        // The hook copies git's first 64 lines itself and hands the rest to cat: no line lost or doubled at the seam.
        var journaled = new ConcurrentQueue<RefUpdate>();
        using var session = listener.Open((updates, _) =>
        {
            foreach (var update in updates)
            {
                journaled.Enqueue(update);
            }

            return Task.CompletedTask;
        });
        var commands = string.Concat(Enumerable.Range(0, count).Select(i => $"create refs/tags/t{i:D4} {second}\n"));

        sandbox.Git(bare, "update-ref --stdin", stdin: commands, environment: Env(session));

        Assert.Equal(Enumerable.Range(0, count).Select(i => new RefUpdate($"refs/tags/t{i:D4}", RefUpdate.ZeroId, second)).ToList(), journaled.OrderBy(u => u.RefName, StringComparer.Ordinal).ToList());
    }

    [Fact]
    public void RefMove_JournalingFails_GitAbortsAndTheRefStays()
    {
        using var session = listener.Open((_, _) => throw new InvalidOperationException("database is down"));

        var run = sandbox.Git(bare, $"update-ref refs/heads/main {second} {first}", allowFailure: true, environment: Env(session));

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("could not record", run.Stderr);
        Assert.Equal(first, sandbox.RevParse(bare, "refs/heads/main"));
    }

    [Fact]
    public void RefNameNotUtf8_NothingIsJournaled_GitAbortsAndNoRefMoves()
    {
        // Behind the check receive-pack's request gets (a client's clear message), the hook refuses too:
        // a name that cannot be recorded exactly is never journaled under a replacement character.
        var journaled = new ConcurrentQueue<RefUpdate>();
        using var session = listener.Open((updates, _) =>
        {
            foreach (var update in updates)
            {
                journaled.Enqueue(update);
            }

            return Task.CompletedTask;
        });

        var run = sandbox.Git(bare, "update-ref --stdin", stdin: $"create refs/heads/fine {second}\ncreate \"refs/heads/caf\\351\" {second}\n", allowFailure: true, environment: Env(session));

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("refs/heads/caf\\xe9 is not valid UTF-8", run.Stderr);
        Assert.Empty(journaled);
        Assert.Equal("refs/heads/main", sandbox.Git(bare, "for-each-ref --format=%(refname) refs/heads/").Stdout.Trim());
    }

    [Fact]
    public void RefNameNotUtf8_ItsDeletionGoesAhead_UnjournaledAsItWasNeverRecorded()
    {
        sandbox.Git(bare, "update-ref --stdin", stdin: $"create \"refs/heads/caf\\351\" {second}\n");
        var journaled = new ConcurrentQueue<RefUpdate>();
        using var session = listener.Open((updates, _) =>
        {
            foreach (var update in updates)
            {
                journaled.Enqueue(update);
            }

            return Task.CompletedTask;
        });

        sandbox.Git(bare, "update-ref --stdin", stdin: $"delete \"refs/heads/caf\\351\"\n", environment: Env(session));

        Assert.Empty(journaled);
        Assert.Equal("refs/heads/main", sandbox.Git(bare, "for-each-ref --format=%(refname) refs/heads/").Stdout.Trim());
    }

    [Fact]
    public void RefMove_ServerGone_GitAbortsAndTheRefStays()
    {
        // A port nobody listens on any more: what an orphaned receive-pack sees after its server was killed.
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var deadPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var env = new Dictionary<string, string> { [TransactionHook.PortVariable] = deadPort.ToString(System.Globalization.CultureInfo.InvariantCulture), [TransactionHook.TicketVariable] = "00" };

        var run = sandbox.Git(bare, $"update-ref refs/heads/main {second} {first}", allowFailure: true, environment: env);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("gone", run.Stderr);
        Assert.Equal(first, sandbox.RevParse(bare, "refs/heads/main"));
    }

    [Fact]
    public void RefMove_SessionClosed_GitAbortsAndTheRefStays()
    {
        var session = listener.Open((_, _) => Task.CompletedTask);
        var env = Env(session);
        session.Dispose();

        var run = sandbox.Git(bare, $"update-ref refs/heads/main {second} {first}", allowFailure: true, environment: env);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("unknown push", run.Stderr);
        Assert.Equal(first, sandbox.RevParse(bare, "refs/heads/main"));
    }

    [Fact]
    public void RefMove_OutsideAnyPush_GoesAheadForReconciliationToAnnounce()
    {
        sandbox.Git(bare, $"update-ref refs/heads/main {second} {first}");

        Assert.Equal(second, sandbox.RevParse(bare, "refs/heads/main"));
    }

    [Fact]
    public void Install_OverAStaleHook_RewritesItSoMovesAreJournaledAgain()
    {
        var path = Path.Combine(bare, "hooks", "reference-transaction");
        File.WriteAllText(path, "#!/bin/sh\nexit 0\n");
        using var refusing = listener.Open((_, _) => throw new InvalidOperationException("refuse"));

        new TransactionHook().Install(bare);
        var run = sandbox.Git(bare, $"update-ref refs/heads/main {second} {first}", allowFailure: true, environment: Env(refusing));

        Assert.True(OperatingSystem.IsWindows() || File.GetUnixFileMode(path).HasFlag(UnixFileMode.UserExecute));
        Assert.NotEqual(0, run.ExitCode);
        Assert.Equal(first, sandbox.RevParse(bare, "refs/heads/main"));
    }

    [Fact]
    public void Install_AfterTheHookWasDeleted_PutsItBack()
    {
        var hook = new TransactionHook();
        hook.Install(bare);
        File.Delete(Path.Combine(bare, "hooks", "reference-transaction"));

        hook.Install(bare);

        Assert.True(File.Exists(Path.Combine(bare, "hooks", "reference-transaction")));
    }

    private static Dictionary<string, string> Env(HookSession session) => session.Environment.ToDictionary(p => p.Key, p => p.Value);
}
