using Posthorn.Core.Deliveries;
using Posthorn.Core.Pushes;

namespace Posthorn.Tests.Storage;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task RecordPush_QueuesOnePendingDeliveryPerActiveService_DueNow()
    {
        var repository = await RepositoryAsync();
        var first = await ServiceAsync(repository.Id);
        var inactive = await ServiceAsync(repository.Id, active: false);
        var second = await ServiceAsync(repository.Id);

        var recorded = await Storage.Pushes.RecordPushAsync(PushOf(repository.Id, T0, "{\"x\":1}"), Ct);

        Assert.Equal(2, recorded.DeliveryIds.Count);
        Assert.Single(await Deliveries.ListDeliveriesAsync(first.Id, null, 10, null, Ct));
        Assert.Single(await Deliveries.ListDeliveriesAsync(second.Id, null, 10, null, Ct));
        Assert.Empty(await Deliveries.ListDeliveriesAsync(inactive.Id, null, 10, null, Ct));
        var delivery = (await Deliveries.FindDeliveryAsync(first.Id, recorded.DeliveryIds[0], Ct))?.Delivery
            ?? (await Deliveries.FindDeliveryAsync(first.Id, recorded.DeliveryIds[1], Ct))!.Delivery;
        Assert.Equal((DeliveryStatus.Pending, T0, DeliveryEvents.Push, recorded.Push.Id), (delivery.Status, delivery.NextAttemptAt, delivery.Event, delivery.PushId!.Value));
        Assert.Equal(T0, await Deliveries.NextDueAtAsync(Ct));

        var claimed = await Deliveries.ClaimDueAsync("node-a", T0, Lease, 10, Ct);
        Assert.All(claimed, c => Assert.Equal("{\"x\":1}", c.Payload));
    }

    [Fact]
    public async Task ListPushes_NewestFirst_PagesByBeforeId_WithRefUpdatesInOrder()
    {
        var repository = await RepositoryAsync();
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            var push = PushOf(repository.Id, T0.AddMinutes(i)) with
            {
                RefUpdates = [new RefUpdate("refs/heads/b" + i, RefUpdate.ZeroId, new string('1', 40)), new RefUpdate("refs/tags/v" + i, RefUpdate.ZeroId, new string('2', 40))],
            };
            ids.Add((await Storage.Pushes.RecordPushAsync(push, Ct)).Push.Id);
        }

        var page1 = await Storage.Pushes.ListPushesAsync(repository.Id, 2, null, Ct);
        var page2 = await Storage.Pushes.ListPushesAsync(repository.Id, 2, page1[^1].Id, Ct);

        Assert.Equal([ids[4], ids[3]], page1.Select(p => p.Id));
        Assert.Equal([ids[2], ids[1]], page2.Select(p => p.Id));
        Assert.Equal(["refs/heads/b4", "refs/tags/v4"], page1[0].RefUpdates.Select(u => u.RefName));
        Assert.Equal(T0.AddMinutes(4), page1[0].PushedAt);
    }

    [Fact]
    public async Task FindPush_OnlyInItsRepository_AndPayloadIsStoredVerbatim()
    {
        var repository = await RepositoryAsync();
        var other = await RepositoryAsync("other");
        var recorded = await Storage.Pushes.RecordPushAsync(PushOf(repository.Id, T0, "{\"é\":\"ü\"}"), Ct);

        var found = await Storage.Pushes.FindPushAsync(repository.Id, recorded.Push.Id, Ct);

        Assert.NotNull(found);
        Assert.Equal(recorded.Push.RefUpdates, found.RefUpdates);
        Assert.Equal((1, "alice"), (found.CommitCount, found.Pusher));
        Assert.Null(await Storage.Pushes.FindPushAsync(other.Id, recorded.Push.Id, Ct));
        Assert.Equal("{\"é\":\"ü\"}", await Storage.Pushes.GetPayloadAsync(recorded.Push.Id, Ct));
        Assert.Empty(recorded.DeliveryIds);
    }
}
