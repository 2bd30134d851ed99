using Posthorn.Core.Deliveries;

namespace Posthorn.Tests.Storage;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task ListDeliveries_NewestFirst_PagesByBeforeId_AndFiltersByStatus()
    {
        var repository = await RepositoryAsync();
        var service = await ServiceAsync(repository.Id);
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            // Distinct milliseconds: Guid v7 ids sort by creation time at millisecond resolution.
            ids.AddRange((await Storage.Pushes.RecordPushAsync(PushOf(repository.Id, T0.AddMilliseconds(i)), Ct)).DeliveryIds);
        }

        var page1 = await Deliveries.ListDeliveriesAsync(service.Id, null, 2, null, Ct);
        var page2 = await Deliveries.ListDeliveriesAsync(service.Id, null, 2, page1[^1].Id, Ct);
        var page3 = await Deliveries.ListDeliveriesAsync(service.Id, null, 2, page2[^1].Id, Ct);

        Assert.Equal([ids[4], ids[3], ids[2], ids[1], ids[0]], page1.Concat(page2).Concat(page3).Select(d => d.Id));
        await Deliveries.ClaimDueAsync("node-a", T0.AddSeconds(1), Lease, 1, Ct);
        await Deliveries.SettleAsync("node-a", [Settled(ids[0], AttemptOutcome.Succeeded, DeliveryStatus.Succeeded, null)], Ct);
        Assert.Equal([ids[0]], (await Deliveries.ListDeliveriesAsync(service.Id, DeliveryStatus.Succeeded, 10, null, Ct)).Select(d => d.Id));
        Assert.Equal(4, (await Deliveries.ListDeliveriesAsync(service.Id, DeliveryStatus.Pending, 10, null, Ct)).Count);
    }

    [Fact]
    public async Task Enqueue_UnknownService_Throws()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => Deliveries.EnqueueAsync(12345, DeliveryEvents.Ping, "{}", T0, Ct));
    }

    [Fact]
    public async Task QueuingDeliveries_WakesTheDispatcher()
    {
        var (_, service, _) = await QueuedAsync();

        // Queued by RecordPushAsync above: the wake-up is already signalled (SQLite locally, PostgreSQL by NOTIFY).
        await Storage.Wakeup.WaitAsync(TimeSpan.FromSeconds(5), Ct);
        var waiting = Storage.Wakeup.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        await Deliveries.EnqueueAsync(service.Id, DeliveryEvents.Ping, "{}", T0, Ct);

        Assert.Same(waiting, await Task.WhenAny(waiting, Task.Delay(TimeSpan.FromSeconds(5))));
        Assert.True(await Storage.PingAsync(Ct));
    }
}
