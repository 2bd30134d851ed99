using Posthorn.Core.Pushes;

namespace Posthorn.Tests.Git;

/// <summary>Clone, push and fetch through a real Kestrel host with the stock git client.</summary>
public sealed class GitSmartHttpTests : IAsyncLifetime
{
    private readonly GitSandbox sandbox = new();
    private SmartHttpHost host = null!;
    private string url = "";
    private string bare = "";

    public async Task InitializeAsync()
    {
        host = await SmartHttpHost.StartAsync(sandbox.PathOf("repos"));
        bare = await host.Repositories.CreateAsync("alice", "project", CancellationToken.None);
        url = host.UrlOf("alice", "project");
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        sandbox.Dispose();
    }

    [Fact]
    public void Clone_EmptyRepository_Succeeds()
    {
        var run = sandbox.Git(sandbox.Root, $"clone {url} empty-clone");
        Assert.Contains("empty repository", run.Stderr);
        Assert.True(Directory.Exists(sandbox.PathOf("empty-clone/.git")));
    }

    [Fact]
    public void Push_NewBranch_ReportsExactlyTheCreatedRef()
    {
        var work = sandbox.NewWorkTree("work", "a.txt", "b.txt");
        var head = sandbox.RevParse(work, "HEAD");
        sandbox.Git(work, $"push {url} main");

        var push = Assert.Single(host.Accepted);
        Assert.Equal([new RefUpdate("refs/heads/main", RefUpdate.ZeroId, head)], push.RefUpdates);
        Assert.Empty(push.TipsBeforePush);
        Assert.Equal(head, sandbox.RevParse(bare, "refs/heads/main"));
    }

    [Fact]
    public void Push_TagsForceAndDelete_EachReportedAsApplied()
    {
        var work = sandbox.NewWorkTree("work", "a.txt");
        var first = sandbox.RevParse(work, "HEAD");
        sandbox.Git(work, $"push {url} main main:feature");
        sandbox.Git(work, "tag -a v1 -m release");
        var tag = sandbox.RevParse(work, "v1");
        sandbox.Git(work, $"push {url} v1");
        sandbox.Git(work, "commit -q --amend -m rewritten");
        var rewritten = sandbox.RevParse(work, "HEAD");
        sandbox.Git(work, $"push --force {url} main :feature");

        var pushes = host.Accepted.ToArray();
        Assert.Equal(3, pushes.Length);
        Assert.Equal(
            [new RefUpdate("refs/heads/feature", RefUpdate.ZeroId, first), new RefUpdate("refs/heads/main", RefUpdate.ZeroId, first)],
            pushes[0].RefUpdates);
        Assert.Equal([new RefUpdate("refs/tags/v1", RefUpdate.ZeroId, tag)], pushes[1].RefUpdates);
        Assert.Equal(
            [new RefUpdate("refs/heads/feature", first, RefUpdate.ZeroId), new RefUpdate("refs/heads/main", first, rewritten)],
            pushes[2].RefUpdates);
        Assert.Equal(new HashSet<string> { first }, pushes[2].TipsBeforePush.ToHashSet()); // the branches' tips: a tag's commits are new until a branch reaches them
    }

    [Fact]
    public void Push_NonFastForwardDenied_NotReportedAndRefUnchanged()
    {
        sandbox.Git(bare, "config receive.denyNonFastForwards true");
        var work = sandbox.NewWorkTree("work", "a.txt");
        var first = sandbox.RevParse(work, "HEAD");
        sandbox.Git(work, $"push {url} main");
        sandbox.Git(work, "commit -q --amend -m rewritten");

        var run = sandbox.Git(work, $"push --force {url} main", allowFailure: true);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Single(host.Accepted);
        Assert.Equal(first, sandbox.RevParse(bare, "refs/heads/main"));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Push_HookRejectsOneRef_OnlyTheOtherIsReported()
    {
        var hook = Path.Combine(bare, "hooks", "update");
        File.WriteAllText(hook, "#!/bin/sh\ncase \"$1\" in refs/heads/blocked) echo 'blocked by policy' >&2; exit 1;; esac\nexit 0\n");
        File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var work = sandbox.NewWorkTree("work", "a.txt");
        var head = sandbox.RevParse(work, "HEAD");

        var run = sandbox.Git(work, $"push {url} main main:blocked", allowFailure: true);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("blocked by policy", run.Stderr);
        var push = Assert.Single(host.Accepted);
        Assert.Equal([new RefUpdate("refs/heads/main", RefUpdate.ZeroId, head)], push.RefUpdates);
    }

    [Fact]
    public void Push_RecordingFails_RefsRestoredAndClientSeesError()
    {
        var work = sandbox.NewWorkTree("work", "a.txt");
        var first = sandbox.RevParse(work, "HEAD");
        sandbox.Git(work, $"push {url} main main:doomed");
        var second = sandbox.Commit(work, "b.txt");
        host.FailRecording = new InvalidOperationException("database is down");

        var run = sandbox.Git(work, $"push {url} main :doomed main:fresh", allowFailure: true);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("503", run.Stderr);
        Assert.DoesNotContain("database is down", run.Stderr);
        Assert.Equal(first, sandbox.RevParse(bare, "refs/heads/main"));
        Assert.Equal(first, sandbox.RevParse(bare, "refs/heads/doomed"));
        Assert.NotEqual(0, sandbox.Git(bare, "rev-parse --verify --quiet refs/heads/fresh", allowFailure: true).ExitCode);
        Assert.NotEqual(first, second);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void CloneAndFetch_EachProtocolVersion_GetsAllCommits(int version)
    {
        var work = sandbox.NewWorkTree("work", "a.txt", "b.txt");
        sandbox.Git(work, $"push {url} main");
        sandbox.Git(sandbox.Root, $"-c protocol.version={version} clone -q {url} copy");
        var next = sandbox.Commit(work, "c.txt");
        sandbox.Git(work, $"push {url} main");

        var copy = sandbox.PathOf("copy");
        var fetch = sandbox.Git(copy, $"-c protocol.version={version} fetch origin", environment: new Dictionary<string, string> { ["GIT_TRACE_PACKET"] = "1" });

        Assert.Equal(next, sandbox.RevParse(copy, "origin/main"));
        Assert.Equal(version == 2, fetch.Stderr.Contains("version 2", StringComparison.Ordinal));
    }
}
