using Microsoft.Extensions.DependencyInjection;
using Posthorn.Core.Pushes;

namespace Posthorn.Tests.Git.PullRequests;

/// <summary>What follows a recorded push never undoes or fails it.</summary>
public sealed class RecordedPushObserverTests : IAsyncLifetime
{
    private readonly GitSandbox sandbox = new();
    private readonly Throwing observer = new();
    private SmartHttpHost host = null!;

    public async Task InitializeAsync() =>
        host = await SmartHttpHost.StartAsync(sandbox.PathOf("repos"), configure: (services, _) => services.AddSingleton<IRecordedPushObserver>(observer));

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        sandbox.Dispose();
    }

    [Fact]
    public async Task ObserverThrows_ThePushStillSucceedsAndIsRecorded_TheObserverSawIt()
    {
        var bare = await host.Repositories.CreateAsync("alice", "project", CancellationToken.None);
        var work = sandbox.NewWorkTree("work", "a.txt");

        var run = sandbox.Git(work, $"push {host.UrlOf("alice", "project")} main", allowFailure: true);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(sandbox.RevParse(work, "HEAD"), sandbox.RevParse(bare, "refs/heads/main"));
        var pushes = await host.Pushes.ListPushesAsync((await host.RepositoryAsync("alice", "project")).Id, 10, null, CancellationToken.None);
        Assert.Equal(Assert.Single(pushes).Id, Assert.Single(observer.Seen));
    }

    [Fact]
    public async Task ObserverThrowsWhileCatchingUp_TheCallerHearsOfIt_ToTryAgainLater()
    {
        var bare = await host.Repositories.CreateAsync("alice", "project", CancellationToken.None);
        var work = sandbox.NewWorkTree("work", "a.txt");
        sandbox.Git(work, $"push {host.UrlOf("alice", "project")} main");

        var failed = await Assert.ThrowsAsync<AggregateException>(() =>
            host.Services.GetRequiredService<PushIntake>().CatchUpAsync(host.RepositoryAsync("alice", "project").Result, bare, CancellationToken.None));

        Assert.IsType<InvalidOperationException>(Assert.Single(failed.InnerExceptions));
        Assert.Equal(["refs/heads/main"], observer.MovedBy);
    }

    private sealed class Throwing : IRecordedPushObserver
    {
        public List<long> Seen { get; } = [];

        public Task PushRecordedAsync(RefsMoved moved, RecordedPush recorded, CancellationToken ct)
        {
            Seen.Add(recorded.Push.Id);
            throw new InvalidOperationException("observer is broken");
        }

        public List<string> MovedBy { get; } = [];

        public Task CatchUpAsync(RefsMoved current, IReadOnlyDictionary<string, string> movedBy, CancellationToken ct)
        {
            MovedBy.AddRange(movedBy.Keys);
            throw new InvalidOperationException("observer is broken");
        }
    }
}
