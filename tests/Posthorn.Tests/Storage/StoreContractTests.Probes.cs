using System.Collections.Concurrent;
using Posthorn.Core.Deliveries;

namespace Posthorn.Tests.Storage;

/// <summary>Half-open services, lease hand-back and success clearing a pause: the claim side of pauses.</summary>
public abstract partial class StoreContractTests
{
    private async Task<(Core.PostServices.PostService Service, List<Guid> Ids)> PausedWithBacklogAsync(int deliveries, DateTimeOffset pausedUntil)
    {
        var repository = await RepositoryAsync();
        var service = await ServiceAsync(repository.Id);
        var ids = new List<Guid>();
        for (var i = 0; i < deliveries; i++)
        {
            ids.Add((await Deliveries.EnqueueAsync(service.Id, DeliveryEvents.Push, "{}", T0.AddSeconds(i), Ct)).Id);
        }

        await Storage.PostServices.PauseServiceAsync(service.Id, pausedUntil, Ct);
        return (service, ids);
    }

    // Regression: when a 16-minute pause ended, 16 queued deliveries went at once, each failure doubled
    // the pause, and the service jumped to a 24 h pause within a second.
    [Fact]
    public async Task ClaimDue_PauseOver_ClaimsOneProbe_AndHoldsTheBacklogUntilItSucceeds()
    {
        var end = T0.AddMinutes(16);
        var (service, ids) = await PausedWithBacklogAsync(16, end);

        var probe = Assert.Single(await Deliveries.ClaimDueAsync("node-a", end, Lease, 64, Ct));
        Assert.True(probe.IsProbe);
        Assert.Equal(ids[0], probe.Delivery.Id);
        Assert.Empty(await Deliveries.ClaimDueAsync("node-b", end.AddSeconds(1), Lease, 64, Ct)); // held while the probe is out

        await Deliveries.SettleAsync("node-a", [Settled(probe.Delivery.Id, AttemptOutcome.Succeeded, DeliveryStatus.Succeeded, null, at: end)], Ct);

        var health = (await Storage.PostServices.FindServiceAsync(service.RepositoryId, service.Id, Ct))!.Health;
        Assert.Null(health.PausedUntil);
        var backlog = await Deliveries.ClaimDueAsync("node-b", end.AddSeconds(1), Lease, 64, Ct);
        Assert.Equal(ids.Skip(1), backlog.Select(c => c.Delivery.Id));
        Assert.All(backlog, c => Assert.False(c.IsProbe));
    }

    // A claim commits its leases (and a probe's hold on its service), then reads the leased rows
    // outside the write: a read that fails must give both back at once, not when the lease runs out.
    [Fact]
    public async Task ClaimDue_ReadOfTheLeasedRowsFails_GivesTheLeaseAndTheProbeHoldBack()
    {
        var end = T0.AddMinutes(16);
        var (_, ids) = await PausedWithBacklogAsync(1, end);
        const string Unreadable = "not-a-delivery-id"; // the row reader parses ids as Guids
        await Fixture.RawScalarAsync($"UPDATE deliveries SET id = '{Unreadable}' WHERE id = '{ids[0]}'");

        await Assert.ThrowsAsync<FormatException>(() => Deliveries.ClaimDueAsync("node-a", end, Lease, 64, Ct));

        Assert.True(await Fixture.RawScalarAsync($"SELECT lease_owner FROM deliveries WHERE id = '{Unreadable}'") is null or DBNull);
        await Fixture.RawScalarAsync($"UPDATE deliveries SET id = '{ids[0]}' WHERE id = '{Unreadable}'");
        var probe = Assert.Single(await Deliveries.ClaimDueAsync("node-b", end, Lease, 64, Ct));
        Assert.Equal((ids[0], true), (probe.Delivery.Id, probe.IsProbe));
    }

    [Fact]
    public async Task ClaimDue_ProbeFails_NextProbeOnlyWhenItsHoldEnds_OneDeliveryAtATime()
    {
        var end = T0.AddMinutes(1);
        var (_, ids) = await PausedWithBacklogAsync(5, end);

        var first = Assert.Single(await Deliveries.ClaimDueAsync("node-a", end, Lease, 64, Ct));
        await Deliveries.SettleAsync("node-a", [Settled(first.Delivery.Id, AttemptOutcome.RetryableFailure, DeliveryStatus.Pending, end.AddSeconds(5), at: end)], Ct);
        Assert.Empty(await Deliveries.ClaimDueAsync("node-a", end.AddSeconds(10), Lease, 64, Ct)); // the hold lasts (the dispatcher re-pauses or ends it)

        // The hold runs out with the probe's lease (its node died, say): again exactly one delivery goes.
        var second = Assert.Single(await Deliveries.ClaimDueAsync("node-b", end + Lease, Lease, 64, Ct));
        Assert.True(second.IsProbe);
        Assert.Equal(ids[1], second.Delivery.Id); // the oldest due one (the failed probe is due later, at its retry)
    }

    [Fact]
    public async Task ClaimDue_EightNodesAtThePausesEnd_OnlyOneProbeIsClaimed()
    {
        var end = T0.AddMinutes(1);
        await PausedWithBacklogAsync(40, end);

        var claims = new ConcurrentBag<ClaimedDelivery>();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(n => Task.Run(async () =>
        {
            foreach (var c in await Deliveries.ClaimDueAsync("node-" + n, end, Lease, 16, Ct))
            {
                claims.Add(c);
            }
        })));

        Assert.True(Assert.Single(claims).IsProbe);
    }

    [Fact]
    public async Task ResetHealth_OfAPausedService_ResumesHalfOpen_OneDeliveryFirst()
    {
        var (service, ids) = await PausedWithBacklogAsync(6, T0.AddHours(5));

        await Storage.PostServices.ResetHealthAsync(service.Id, Ct);

        var health = (await Storage.PostServices.FindServiceAsync(service.RepositoryId, service.Id, Ct))!.Health;
        Assert.False(health.IsPausedAt(T0));
        var probe = Assert.Single(await Deliveries.ClaimDueAsync("node-a", T0.AddMinutes(1), Lease, 64, Ct));
        Assert.Equal((ids[0], true), (probe.Delivery.Id, probe.IsProbe));
    }

    // Regression: the service page showed "paused" beside "0 failures in a row, last delivery succeeded".
    [Fact]
    public async Task Settle_Success_ClearsThePause()
    {
        var (_, service, deliveryId) = await QueuedAsync();
        await Deliveries.ClaimDueAsync("node-a", T0, Lease, 10, Ct);
        await Storage.PostServices.PauseServiceAsync(service.Id, T0.AddMinutes(30), Ct);

        await Deliveries.SettleAsync("node-a", [Settled(deliveryId, AttemptOutcome.Succeeded, DeliveryStatus.Succeeded, null)], Ct);

        var health = (await Storage.PostServices.FindServiceAsync(service.RepositoryId, service.Id, Ct))!.Health;
        Assert.Equal((0, null, AttemptOutcome.Succeeded), (health.ConsecutiveFailures, health.PausedUntil, health.LastOutcome));
    }

    [Fact]
    public async Task Release_GivesBackOnlyThisNodesLease_SoTheDeliveryIsClaimableAtOnce()
    {
        var (_, _, deliveryId) = await QueuedAsync();
        var claimed = Assert.Single(await Deliveries.ClaimDueAsync("node-a", T0, Lease, 10, Ct));
        Assert.Equal(T0 + Lease, claimed.LeaseUntil);

        await Deliveries.ReleaseAsync("node-b", [deliveryId], Ct); // not node-b's to give
        Assert.Empty(await Deliveries.ClaimDueAsync("node-b", T0.AddSeconds(1), Lease, 10, Ct));

        await Deliveries.ReleaseAsync("node-a", [deliveryId], Ct);
        var again = Assert.Single(await Deliveries.ClaimDueAsync("node-b", T0.AddSeconds(1), Lease, 10, Ct));
        Assert.Equal(deliveryId, again.Delivery.Id);
        Assert.Equal(0, again.Delivery.AttemptCount); // nothing recorded: no attempt was made
    }
}
