using Microsoft.Extensions.DependencyInjection;
using Posthorn.Core.Pushes;
using Posthorn.Git.SmartHttp;

namespace Posthorn.Tests.Git;

/// <summary>
/// The payload built while receive-pack commits the refs is used only for exactly the moves it was
/// built for, and is then the same document a build after the push gives. Real repository, real
/// intake and payload builder, real SQLite store.
/// </summary>
public sealed class PayloadAheadTests : IAsyncLifetime
{
    private readonly GitSandbox sandbox = new();
    private SmartHttpHost host = null!;
    private string bare = "";
    private string first = "";
    private string second = "";

    public async Task InitializeAsync()
    {
        host = await SmartHttpHost.StartAsync(sandbox.PathOf("repos"));
        bare = await host.Repositories.CreateAsync("alice", "project", CancellationToken.None);
        var work = sandbox.NewWorkTree("work", "a.txt");
        sandbox.Git(work, $"push -q {host.UrlOf("alice", "project")} main");
        first = sandbox.RevParse(work, "HEAD");
        second = sandbox.Commit(work, "b.txt");

        // The new commit's objects in place, no ref moved: where receive-pack is when git prepares the move.
        sandbox.Git(work, $"push -q {bare} HEAD:refs/staging/x");
        sandbox.Git(bare, "update-ref -d refs/staging/x");
        host.Accepted.Clear();
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        sandbox.Dispose();
    }

    [Fact]
    public async Task Prepared_ThenExactlyThoseMovesMade_UsesThePayloadBuiltAhead_SameAsBuiltAfter()
    {
        var ahead = await AheadAsync(singleCommand: true);
        var move = new RefUpdate("refs/heads/main", first, second);

        ahead.Prepared([move]);
        var built = ahead.For([move]);

        Assert.NotNull(built);
        var early = await built;
        var after = await Intake.BuildPayloadAsync(await MovedAsync([move]), CancellationToken.None);
        Assert.Equal(after.Json, early.Json);
        Assert.Equal(1, early.CommitCount);
        Assert.Equal(2, host.Accepted.Count);
    }

    [Fact]
    public async Task Prepared_OtherMovesMade_NotUsed()
    {
        var ahead = await AheadAsync(singleCommand: true);

        ahead.Prepared([new RefUpdate("refs/heads/main", first, second)]);

        Assert.Null(ahead.For([new RefUpdate("refs/heads/main", first, second), new RefUpdate("refs/heads/side", RefUpdate.ZeroId, second)]));
        Assert.Null(ahead.For([]));
    }

    [Fact]
    public async Task TwoTransactions_NotUsed()
    {
        var ahead = await AheadAsync(singleCommand: true);
        var move = new RefUpdate("refs/heads/main", first, second);

        ahead.Prepared([move]);
        ahead.Prepared([new RefUpdate("refs/heads/side", RefUpdate.ZeroId, second)]);

        Assert.Null(ahead.For([move]));
    }

    [Fact]
    public async Task SeveralRefCommands_NothingBuiltAhead()
    {
        var ahead = await AheadAsync(singleCommand: false);
        var move = new RefUpdate("refs/heads/main", first, second);

        ahead.Prepared([move]);

        Assert.Null(ahead.For([move]));
        Assert.Empty(host.Accepted);
    }

    private PushIntake Intake => host.Services.GetRequiredService<PushIntake>();

    private async Task<PayloadAhead> AheadAsync(bool singleCommand) =>
        new(Intake, await MovedAsync([]), new Dictionary<string, string> { ["refs/heads/main"] = first }, () => singleCommand);

    private async Task<RefsMoved> MovedAsync(IReadOnlyList<RefUpdate> updates) =>
        new(await host.RepositoryAsync("alice", "project"), bare, "alice", updates, new HashSet<string> { first });
}
