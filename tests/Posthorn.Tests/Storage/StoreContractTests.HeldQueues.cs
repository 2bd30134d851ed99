using Posthorn.Core.Deliveries;
using Posthorn.Core.PostServices;
using Posthorn.Storage.Sql;

namespace Posthorn.Tests.Storage;

/// <summary>
/// Held queues: a paused, disabled or switched-off service's pending deliveries are taken out of the
/// claim's index (so claims stop stepping over them) without changing their order or retry times, and
/// come back wherever the service may send again.
/// </summary>
public abstract partial class StoreContractTests
{
    private async Task<long> HeldCountAsync(long serviceId) =>
        Convert.ToInt64(await Fixture.RawScalarAsync($"SELECT COUNT(*) FROM deliveries WHERE service_id = {serviceId} AND status = 0 AND held = 1"),
            System.Globalization.CultureInfo.InvariantCulture);

    private async Task<bool> QueueHeldAsync(long serviceId) =>
        Convert.ToInt64(await Fixture.RawScalarAsync($"SELECT queue_held FROM post_services WHERE id = {serviceId}"), System.Globalization.CultureInfo.InvariantCulture) == 1;

    private async Task<List<Guid>> EnqueueManyAsync(long serviceId, int count, DateTimeOffset from)
    {
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            ids.Add((await Deliveries.EnqueueAsync(serviceId, DeliveryEvents.Push, "{}", from.AddSeconds(i), Ct)).Id);
        }

        return ids;
    }

    [Fact]
    public async Task Pause_HoldsTheQueue_AndAHealthyServiceIsClaimedAsBefore()
    {
        var (service, ids) = await PausedWithBacklogAsync(20, T0.AddHours(1));
        var healthy = await ServiceAsync((await RepositoryAsync("other")).Id);
        var fresh = await EnqueueManyAsync(healthy.Id, 3, T0.AddMinutes(5));

        Assert.Equal(20, await HeldCountAsync(service.Id));
        Assert.True(await QueueHeldAsync(service.Id));
        var claimed = await Deliveries.ClaimDueAsync("node-a", T0.AddMinutes(10), Lease, 64, Ct);
        Assert.Equal(fresh, claimed.Select(c => c.Delivery.Id));
        Assert.Equal(20, await HeldCountAsync(service.Id));
        await Deliveries.SettleAsync("node-a", [.. fresh.Select(id => Settled(id, AttemptOutcome.Succeeded, DeliveryStatus.Succeeded, null, at: T0.AddMinutes(10)))], Ct);
        Assert.Equal(T0.AddHours(1), await Deliveries.NextDueAtAsync(Ct)); // the held queue is due when its pause ends
        Assert.All(ids, id => Assert.DoesNotContain(id, claimed.Select(c => c.Delivery.Id)));
    }

    // Regression (a pause once moved the held rows' due times): a failed probe's retry time is kept,
    // so the next pause's probe is the next oldest delivery, not the same one again and again.
    [Fact]
    public async Task ProbeFails_AndTheServiceIsPausedAgain_TheNextProbeIsTheNextOldest()
    {
        var end = T0.AddMinutes(1);
        var (service, ids) = await PausedWithBacklogAsync(4, end);

        var first = Assert.Single(await Deliveries.ClaimDueAsync("node-a", end, Lease, 64, Ct));
        Assert.Equal((ids[0], true), (first.Delivery.Id, first.IsProbe));
        await Deliveries.SettleAsync("node-a", [Settled(first.Delivery.Id, AttemptOutcome.RetryableFailure, DeliveryStatus.Pending, end.AddMinutes(30), at: end)], Ct);
        var again = end.AddMinutes(2);
        Assert.True(await Storage.PostServices.PauseServiceAsync(service.Id, again, 1, Ct));
        Assert.Equal(4, await HeldCountAsync(service.Id)); // the failed probe is held again too

        var second = Assert.Single(await Deliveries.ClaimDueAsync("node-b", again, Lease, 64, Ct));
        Assert.Equal((ids[1], true), (second.Delivery.Id, second.IsProbe));
    }

    // Regression (a pause once moved the held rows' due times): what is queued during a pause waits
    // behind what was already held, for the probe and for the backlog after it.
    [Fact]
    public async Task QueuedDuringAPause_IsHeld_AndGoesAfterTheOlderDeliveries()
    {
        var end = T0.AddMinutes(16);
        var (service, ids) = await PausedWithBacklogAsync(3, end);
        var during = await EnqueueManyAsync(service.Id, 2, T0.AddMinutes(10));
        var pushed = (await Storage.Pushes.RecordPushAsync(PushOf(service.RepositoryId, T0.AddMinutes(12)), Ct)).DeliveryIds.Single();
        Assert.Equal(6, await HeldCountAsync(service.Id));

        var probe = Assert.Single(await Deliveries.ClaimDueAsync("node-a", end, Lease, 64, Ct));
        Assert.Equal((ids[0], true), (probe.Delivery.Id, probe.IsProbe));
        await Deliveries.SettleAsync("node-a", [Settled(probe.Delivery.Id, AttemptOutcome.Succeeded, DeliveryStatus.Succeeded, null, at: end)], Ct);

        var backlog = await Deliveries.ClaimDueAsync("node-a", end.AddSeconds(1), Lease, 64, Ct);
        Assert.Equal([ids[1], ids[2], .. during, pushed], backlog.Select(c => c.Delivery.Id));
        Assert.Equal(0, await HeldCountAsync(service.Id));
        Assert.False(await QueueHeldAsync(service.Id));
    }

    // Regression (a pause once moved the held rows' due times): a success of an attempt already in
    // flight when the pause began clears the pause, and the very next claim has the backlog.
    [Fact]
    public async Task InFlightSuccessClearsThePause_TheNextClaimHasTheHeldBacklog()
    {
        var repository = await RepositoryAsync();
        var service = await ServiceAsync(repository.Id);
        var ids = await EnqueueManyAsync(service.Id, 4, T0);
        var inFlight = Assert.Single(await Deliveries.ClaimDueAsync("node-a", T0.AddSeconds(1), Lease, 1, Ct));
        await Storage.PostServices.PauseServiceAsync(service.Id, T0.AddHours(5), Ct);
        Assert.Equal(3, await HeldCountAsync(service.Id)); // not the leased one

        await Deliveries.SettleAsync("node-a", [Settled(inFlight.Delivery.Id, AttemptOutcome.Succeeded, DeliveryStatus.Succeeded, null, at: T0.AddSeconds(2))], Ct);

        var backlog = await Deliveries.ClaimDueAsync("node-a", T0.AddSeconds(3), Lease, 64, Ct);
        Assert.Equal(ids.Skip(1), backlog.Select(c => c.Delivery.Id));
        Assert.All(backlog, c => Assert.False(c.IsProbe));
    }

    [Fact]
    public async Task Disabled_HoldsTheQueue_EnableProbesTheOldest_ThenLetsTheRestGo()
    {
        var repository = await RepositoryAsync();
        var service = await ServiceAsync(repository.Id);
        var ids = await EnqueueManyAsync(service.Id, 5, T0);
        await Storage.PostServices.DisableServiceAsync(service.Id, "gone", T0.AddMinutes(1), Ct);
        Assert.Equal(5, await HeldCountAsync(service.Id));
        Assert.Empty(await Deliveries.ClaimDueAsync("node-a", T0.AddMinutes(2), Lease, 64, Ct));
        Assert.Null(await Deliveries.NextDueAtAsync(Ct));

        await Storage.PostServices.ResetHealthAsync(service.Id, Ct);

        Assert.NotNull(await Deliveries.NextDueAtAsync(Ct));
        var probe = Assert.Single(await Deliveries.ClaimDueAsync("node-a", T0.AddMinutes(3), Lease, 64, Ct));
        Assert.Equal((ids[0], true), (probe.Delivery.Id, probe.IsProbe));
        await Deliveries.SettleAsync("node-a", [Settled(probe.Delivery.Id, AttemptOutcome.Succeeded, DeliveryStatus.Succeeded, null, at: T0.AddMinutes(3))], Ct);
        Assert.Equal(ids.Skip(1), (await Deliveries.ClaimDueAsync("node-a", T0.AddMinutes(4), Lease, 64, Ct)).Select(c => c.Delivery.Id));
    }

    [Fact]
    public async Task SwitchedOff_HoldsTheQueue_SwitchedOn_ItAllGoesInOrder()
    {
        var repository = await RepositoryAsync();
        var service = await ServiceAsync(repository.Id);
        var ids = await EnqueueManyAsync(service.Id, 3, T0);
        var off = new PostServiceSettings(service.Url, service.Format, false, service.Secrets);
        await Storage.PostServices.UpdateServiceAsync(repository.Id, service.Id, off, Ct);
        Assert.Equal(3, await HeldCountAsync(service.Id));
        Assert.Empty(await Deliveries.ClaimDueAsync("node-a", T0.AddMinutes(1), Lease, 64, Ct));

        await Storage.PostServices.UpdateServiceAsync(repository.Id, service.Id, off with { IsActive = true }, Ct);

        Assert.Equal(T0, await Deliveries.NextDueAtAsync(Ct));
        Assert.Equal(ids, (await Deliveries.ClaimDueAsync("node-a", T0.AddMinutes(1), Lease, 64, Ct)).Select(c => c.Delivery.Id));
    }

    // A pause decided on a count that a success has since cleared does not happen, and must not hold
    // the queue either: held rows of a service nobody will let go would wait for ever.
    [Fact]
    public async Task PauseThatNoLongerApplies_HoldsNothing()
    {
        var repository = await RepositoryAsync();
        var service = await ServiceAsync(repository.Id);
        var ids = await EnqueueManyAsync(service.Id, 2, T0);

        Assert.False(await Storage.PostServices.PauseServiceAsync(service.Id, T0.AddHours(1), 3, Ct));

        Assert.Equal(0, await HeldCountAsync(service.Id));
        Assert.False(await QueueHeldAsync(service.Id));
        Assert.Equal(ids, (await Deliveries.ClaimDueAsync("node-a", T0.AddMinutes(1), Lease, 64, Ct)).Select(c => c.Delivery.Id));
    }

    [Fact]
    public async Task RedeliveredDuringAPause_IsHeld_AndIsTheProbeWhenThePauseEnds()
    {
        var (_, service, deliveryId) = await QueuedAsync();
        var claimed = Assert.Single(await Deliveries.ClaimDueAsync("node-a", T0, Lease, 1, Ct));
        await Deliveries.SettleAsync("node-a", [Settled(claimed.Delivery.Id, AttemptOutcome.Succeeded, DeliveryStatus.Succeeded, null)], Ct);
        await Storage.PostServices.PauseServiceAsync(service.Id, T0.AddHours(1), Ct);

        Assert.True(await Deliveries.RedeliverAsync(service.Id, deliveryId, T0.AddMinutes(1), Ct));

        Assert.Equal(1, await HeldCountAsync(service.Id));
        Assert.Empty(await Deliveries.ClaimDueAsync("node-a", T0.AddMinutes(2), Lease, 64, Ct));
        var probe = Assert.Single(await Deliveries.ClaimDueAsync("node-a", T0.AddHours(1), Lease, 64, Ct));
        Assert.Equal((deliveryId, true), (probe.Delivery.Id, probe.IsProbe));
    }

    [Fact]
    public async Task NextDueAt_AHeldQueueWithNothingInIt_IsNotDue()
    {
        var repository = await RepositoryAsync();
        var service = await ServiceAsync(repository.Id);
        await Storage.PostServices.PauseServiceAsync(service.Id, T0.AddMinutes(5), Ct);

        Assert.True(await QueueHeldAsync(service.Id));
        Assert.Null(await Deliveries.NextDueAtAsync(Ct));
        Assert.Empty(await Deliveries.ClaimDueAsync("node-a", T0.AddMinutes(10), Lease, 64, Ct));
    }

    // The rules leave no held delivery of a service whose queue is not held; if a way round them is
    // ever found, the pruner's pass lets such a delivery go instead of leaving it for ever.
    [Fact]
    public async Task Prune_LetsGoAHeldDeliveryOfAServiceWhoseQueueIsNotHeld()
    {
        var (_, service, deliveryId) = await QueuedAsync();
        await Fixture.RawScalarAsync($"UPDATE deliveries SET held = 1 WHERE id = '{deliveryId}'");
        Assert.Empty(await Deliveries.ClaimDueAsync("node-a", T0.AddMinutes(1), Lease, 64, Ct));

        await Deliveries.PruneAsync(T0.AddDays(-30), Ct);

        Assert.Equal(0, await HeldCountAsync(service.Id));
        Assert.Equal(deliveryId, Assert.Single(await Deliveries.ClaimDueAsync("node-a", T0.AddMinutes(1), Lease, 64, Ct)).Delivery.Id);
    }

    // A deep queue is let go in steps of SqlStore.ReleaseChunk rows, one per claim, oldest first; all
    // of it comes back, and the service's queue is no longer held after the last step.
    [Fact]
    public async Task ADeepHeldQueue_IsLetGoWhole_InSteps()
    {
        var repository = await RepositoryAsync();
        var service = await ServiceAsync(repository.Id);
        await Storage.PostServices.UpdateServiceAsync(repository.Id, service.Id, new PostServiceSettings(service.Url, service.Format, false, service.Secrets), Ct);
        var rows = SqlStore.ReleaseChunk + 3;
        await Fixture.RawScalarAsync(
            $"""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows})
            INSERT INTO deliveries (id, service_id, repository_id, event, payload, status, created_at, next_attempt_at, held)
            SELECT '00000000-0000-0000-0000-' || substr('00000000000' || i, length('00000000000' || i) - 11), {service.Id}, {repository.Id}, 'push', NULL, 0, {T0.ToUnixTimeMilliseconds()} + i, {T0.ToUnixTimeMilliseconds()} + i, 1 FROM n
            """);

        await Storage.PostServices.UpdateServiceAsync(repository.Id, service.Id, new PostServiceSettings(service.Url, service.Format, true, service.Secrets), Ct);
        var first = await Deliveries.ClaimDueAsync("node-a", T0.AddHours(1), Lease, 8, Ct);

        Assert.Equal(3, await HeldCountAsync(service.Id)); // the newest three wait for the next claim's step
        Assert.Equal(Enumerable.Range(1, 8).Select(i => T0.AddMilliseconds(i)), first.Select(c => c.Delivery.NextAttemptAt));
        Assert.Equal(8, (await Deliveries.ClaimDueAsync("node-a", T0.AddHours(1), Lease, 8, Ct)).Count);
        Assert.Equal(0, await HeldCountAsync(service.Id));
        Assert.False(await QueueHeldAsync(service.Id));
    }
}
