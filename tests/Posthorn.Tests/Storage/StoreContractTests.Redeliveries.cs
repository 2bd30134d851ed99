using Posthorn.Core.Deliveries;

namespace Posthorn.Tests.Storage;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task Redeliver_KeepsTheIdAndAttemptHistory_ResetsTheRound_AndIsDueNow()
    {
        var (_, service, deliveryId) = await QueuedAsync();
        await Deliveries.ClaimDueAsync("node-a", T0, Lease, 10, Ct);
        await Deliveries.SettleAsync("node-a", [Settled(deliveryId, AttemptOutcome.PermanentFailure, DeliveryStatus.Failed, null)], Ct);

        Assert.True(await Deliveries.RedeliverAsync(service.Id, deliveryId, T0.AddHours(2), Ct));

        var detail = (await Deliveries.FindDeliveryAsync(service.Id, deliveryId, Ct))!;
        Assert.Equal((DeliveryStatus.Pending, 1, 0, T0.AddHours(2), (DateTimeOffset?)null),
            (detail.Delivery.Status, detail.Delivery.AttemptCount, detail.Delivery.RoundAttempts, detail.Delivery.NextAttemptAt, detail.Delivery.CompletedAt));
        Assert.Single(detail.Attempts);
        var claimed = Assert.Single(await Deliveries.ClaimDueAsync("node-a", T0.AddHours(2), Lease, 10, Ct));
        Assert.Equal(deliveryId, claimed.Delivery.Id);
        Assert.False(await Deliveries.RedeliverAsync(service.Id + 1000, deliveryId, T0, Ct));
    }

    [Fact]
    public async Task RedeliverFailedSince_RequeuesOnlyFailedDeliveriesCreatedSinceThen()
    {
        var repository = await RepositoryAsync();
        var service = await ServiceAsync(repository.Id);
        var old = (await Storage.Pushes.RecordPushAsync(PushOf(repository.Id, T0), Ct)).DeliveryIds[0];
        var recent = (await Storage.Pushes.RecordPushAsync(PushOf(repository.Id, T0.AddHours(1)), Ct)).DeliveryIds[0];
        var succeeded = (await Storage.Pushes.RecordPushAsync(PushOf(repository.Id, T0.AddHours(1)), Ct)).DeliveryIds[0];
        await Deliveries.ClaimDueAsync("node-a", T0.AddHours(1), Lease, 10, Ct);
        await Deliveries.SettleAsync("node-a",
        [
            Settled(old, AttemptOutcome.PermanentFailure, DeliveryStatus.Failed, null),
            Settled(recent, AttemptOutcome.PermanentFailure, DeliveryStatus.Failed, null),
            Settled(succeeded, AttemptOutcome.Succeeded, DeliveryStatus.Succeeded, null),
        ], Ct);

        Assert.Equal(1, await Deliveries.RedeliverFailedSinceAsync(service.Id, T0.AddMinutes(30), T0.AddHours(2), Ct));

        var pending = await Deliveries.ListDeliveriesAsync(service.Id, DeliveryStatus.Pending, 10, null, Ct);
        Assert.Equal([recent], pending.Select(d => d.Id));
        Assert.Equal(0, pending[0].RoundAttempts);
    }

    [Fact]
    public async Task Prune_DeletesOnlyFinishedDeliveriesCompletedBeforeTheCutoff()
    {
        var repository = await RepositoryAsync();
        var service = await ServiceAsync(repository.Id);
        var ids = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            ids.AddRange((await Storage.Pushes.RecordPushAsync(PushOf(repository.Id, T0), Ct)).DeliveryIds);
        }

        await Deliveries.ClaimDueAsync("node-a", T0, Lease, 10, Ct);
        await Deliveries.SettleAsync("node-a",
        [
            Settled(ids[0], AttemptOutcome.Succeeded, DeliveryStatus.Succeeded, null, at: T0),
            Settled(ids[1], AttemptOutcome.PermanentFailure, DeliveryStatus.Failed, null, at: T0),
            Settled(ids[2], AttemptOutcome.Succeeded, DeliveryStatus.Succeeded, null, at: T0.AddDays(2)),
            Settled(ids[3], AttemptOutcome.RetryableFailure, DeliveryStatus.Pending, T0.AddDays(3), at: T0),
        ], Ct);

        Assert.Equal(2, await Deliveries.PruneAsync(T0.AddDays(1), Ct));

        var left = await Deliveries.ListDeliveriesAsync(service.Id, null, 10, null, Ct);
        Assert.Equal(new[] { ids[2], ids[3] }.Order(), left.Select(d => d.Id).Order());
        Assert.Null(await Deliveries.FindDeliveryAsync(service.Id, ids[0], Ct));
    }
}
