using System.Text.Json;
using Posthorn.Core.Pushes;

namespace Posthorn.Tests.Git;

/// <summary>
/// Refs moved on the disk behind Posthorn's back are recorded as a recovered push before the next
/// push over HTTP is received, so that push's payload starts from what has been announced.
/// </summary>
public sealed class ReconcileBeforePushTests : IAsyncLifetime
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
    public async Task Push_AfterARefMovedOnDisk_RecordsTheMoveAsARecoveredPushFirst()
    {
        var work = sandbox.NewWorkTree("work", "a.txt");
        sandbox.Git(work, $"push -q {url} main");
        sandbox.Commit(work, "behind-the-back.txt");
        var hidden = sandbox.RevParse(work, "HEAD");
        sandbox.Git(work, $"push -q {bare} HEAD:refs/heads/side");
        sandbox.Commit(work, "b.txt");
        var next = sandbox.RevParse(work, "HEAD");

        sandbox.Git(work, $"push -q {url} main");

        var pushes = (await host.Pushes.ListPushesAsync(await RepositoryIdAsync(), 10, null, CancellationToken.None)).Reverse().ToList();
        Assert.Equal(3, pushes.Count);
        Assert.False(pushes[0].Recovered);
        Assert.True(pushes[1].Recovered);
        Assert.Equal(PushIntake.UnknownPusher, pushes[1].Pusher);
        Assert.Equal([new RefUpdate("refs/heads/side", RefUpdate.ZeroId, hidden)], pushes[1].RefUpdates);
        Assert.False(pushes[2].Recovered);
        Assert.Equal("alice", pushes[2].Pusher);
        Assert.Equal("refs/heads/main", Assert.Single(pushes[2].RefUpdates).RefName);

        using var recovered = JsonDocument.Parse((await host.Pushes.GetPayloadAsync(pushes[1].Id, CancellationToken.None))!);
        Assert.True(recovered.RootElement.GetProperty("recovered").GetBoolean());
        Assert.Equal("", recovered.RootElement.GetProperty("user").GetString());
        Assert.Equal(hidden, Assert.Single(recovered.RootElement.GetProperty("commits").EnumerateArray()).GetProperty("raw_node").GetString());

        // The recovered commit is announced once: the next push lists only its own.
        using var latest = JsonDocument.Parse((await host.Pushes.GetPayloadAsync(pushes[2].Id, CancellationToken.None))!);
        Assert.False(latest.RootElement.GetProperty("recovered").GetBoolean());
        Assert.Equal([next], latest.RootElement.GetProperty("commits").EnumerateArray().Select(c => c.GetProperty("raw_node").GetString()));
        Assert.Equal(
            new Dictionary<string, string> { ["refs/heads/main"] = next, ["refs/heads/side"] = hidden },
            await host.Pushes.GetRecordedRefsAsync(await RepositoryIdAsync(), CancellationToken.None));
    }

    [Fact]
    public async Task Push_RecordingFails_RefsPutBackAndNothingRecorded()
    {
        var work = sandbox.NewWorkTree("work", "a.txt");
        sandbox.Git(work, $"push -q {url} main");
        var first = sandbox.RevParse(work, "HEAD");
        sandbox.Commit(work, "b.txt");
        host.FailRecording = new InvalidOperationException("database is down");

        var run = sandbox.Git(work, $"push {url} main", allowFailure: true);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Equal(first, sandbox.RevParse(bare, "refs/heads/main"));
        Assert.Single(await host.Pushes.ListPushesAsync(await RepositoryIdAsync(), 10, null, CancellationToken.None));
    }

    private async Task<long> RepositoryIdAsync() => (await host.RepositoryAsync("alice", "project")).Id;
}
