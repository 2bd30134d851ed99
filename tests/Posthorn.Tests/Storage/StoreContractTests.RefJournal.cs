using Posthorn.Core.Pushes;

namespace Posthorn.Tests.Storage;

public abstract partial class StoreContractTests
{
    private static readonly string A = new('a', 40);
    private static readonly string B = new('b', 40);

    [Fact]
    public async Task RecordPush_MovesTheRecordedRefs_CreateUpdateDelete()
    {
        var repository = await RepositoryAsync();
        var other = await RepositoryAsync("other");
        Assert.Empty(await Storage.Pushes.GetRecordedRefsAsync(repository.Id, Ct));

        await Storage.Pushes.RecordPushAsync(PushOf(repository.Id, T0) with
        {
            RefUpdates = [new RefUpdate("refs/heads/main", RefUpdate.ZeroId, A), new RefUpdate("refs/tags/v1", RefUpdate.ZeroId, A)],
        }, Ct);
        await Storage.Pushes.RecordPushAsync(PushOf(repository.Id, T0) with
        {
            RefUpdates = [new RefUpdate("refs/heads/main", A, B), new RefUpdate("refs/tags/v1", A, RefUpdate.ZeroId)],
        }, Ct);

        Assert.Equal(new Dictionary<string, string> { ["refs/heads/main"] = B }, await Storage.Pushes.GetRecordedRefsAsync(repository.Id, Ct));
        Assert.Empty(await Storage.Pushes.GetRecordedRefsAsync(other.Id, Ct));
    }

    [Fact]
    public async Task RefIntents_JournaledInOrder_ClearedByTheNextRecordedPushOfTheirRepositoryOnly()
    {
        var repository = await RepositoryAsync();
        var other = await RepositoryAsync("other");
        await Storage.Pushes.RecordRefIntentsAsync(repository.Id, "carol", [new RefUpdate("refs/heads/main", RefUpdate.ZeroId, A)], T0, Ct);
        await Storage.Pushes.RecordRefIntentsAsync(repository.Id, "dave", [new RefUpdate("refs/heads/x", A, B)], pullRequestId: 7, T0, Ct);
        await Storage.Pushes.RecordRefIntentsAsync(other.Id, "eve", [new RefUpdate("refs/heads/y", A, B)], T0, Ct);

        Assert.Equal(
            [new RefIntent("carol", new RefUpdate("refs/heads/main", RefUpdate.ZeroId, A)), new RefIntent("dave", new RefUpdate("refs/heads/x", A, B)) { PullRequestId = 7 }],
            await Storage.Pushes.ListRefIntentsAsync(repository.Id, Ct));

        await Storage.Pushes.RecordPushAsync(PushOf(repository.Id, T0), Ct);

        Assert.Empty(await Storage.Pushes.ListRefIntentsAsync(repository.Id, Ct));
        Assert.Single(await Storage.Pushes.ListRefIntentsAsync(other.Id, Ct));
        await Storage.Pushes.ClearRefIntentsAsync(other.Id, Ct);
        Assert.Empty(await Storage.Pushes.ListRefIntentsAsync(other.Id, Ct));
    }

    [Fact]
    public async Task RecordPush_Recovered_ListedAndFoundAsRecovered()
    {
        var repository = await RepositoryAsync();
        var normal = await Storage.Pushes.RecordPushAsync(PushOf(repository.Id, T0), Ct);
        var recovered = await Storage.Pushes.RecordPushAsync(PushOf(repository.Id, T0) with { Pusher = PushIntake.UnknownPusher, Recovered = true }, Ct);

        Assert.True(recovered.Push.Recovered);
        Assert.Equal([true, false], (await Storage.Pushes.ListPushesAsync(repository.Id, 10, null, Ct)).Select(p => p.Recovered));
        Assert.Equal((true, ""), ((await Storage.Pushes.FindPushAsync(repository.Id, recovered.Push.Id, Ct))!.Recovered, (await Storage.Pushes.FindPushAsync(repository.Id, recovered.Push.Id, Ct))!.Pusher));
        Assert.False((await Storage.Pushes.FindPushAsync(repository.Id, normal.Push.Id, Ct))!.Recovered);
    }
}
