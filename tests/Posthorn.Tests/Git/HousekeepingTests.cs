namespace Posthorn.Tests.Git;

/// <summary>
/// receive-pack's own gc is off; Posthorn runs gc --auto every Nth push instead. Made observable
/// with gc.autoPackLimit=1 and receive.unpackLimit=1: every push keeps its own pack, and gc
/// --auto repacks as soon as there are two.
/// </summary>
public sealed class HousekeepingTests : IAsyncLifetime
{
    private readonly GitSandbox sandbox = new();
    private SmartHttpHost host = null!;
    private string bare = "";

    public async Task InitializeAsync()
    {
        host = await SmartHttpHost.StartAsync(sandbox.PathOf("repos"), gcCheckEveryPushes: 3);
        bare = await host.Repositories.CreateAsync("alice", "project", CancellationToken.None);
        sandbox.Git(bare, "config receive.unpackLimit 1");
        sandbox.Git(bare, "config gc.autoPackLimit 1");
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        sandbox.Dispose();
    }

    [Fact]
    public async Task Push_GcRunsEveryNthPushOnly()
    {
        var url = host.UrlOf("alice", "project");
        var work = sandbox.NewWorkTree("work", "a.txt");
        sandbox.Git(work, $"push {url} main");
        sandbox.Commit(work, "b.txt");
        sandbox.Git(work, $"push {url} main");
        await host.Housekeeping.IdleAsync();
        var packsBeforeThirdPush = Packs();

        sandbox.Commit(work, "c.txt");
        sandbox.Git(work, $"push {url} main");
        await host.Housekeeping.IdleAsync();

        Assert.Equal(2, packsBeforeThirdPush);
        Assert.Equal(1, Packs());
        Assert.Equal(sandbox.RevParse(work, "HEAD"), sandbox.RevParse(bare, "refs/heads/main"));
        sandbox.Git(bare, "fsck --no-progress");
    }

    private int Packs() => Directory.GetFiles(Path.Combine(bare, "objects", "pack"), "*.pack").Length;
}
