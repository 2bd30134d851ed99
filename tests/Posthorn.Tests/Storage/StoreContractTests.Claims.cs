using Posthorn.Core.Deliveries;
using Posthorn.Core.PostServices;

namespace Posthorn.Tests.Storage;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task ClaimDue_TakesOnlyDueDeliveries_OldestFirst_UpToMax()
    {
        var repository = await RepositoryAsync();
        await ServiceAsync(repository.Id);
        var later = await Storage.Pushes.RecordPushAsync(PushOf(repository.Id, T0.AddSeconds(2)), Ct);
        var early = await Storage.Pushes.RecordPushAsync(PushOf(repository.Id, T0), Ct);
        var future = await Storage.Pushes.RecordPushAsync(PushOf(repository.Id, T0.AddHours(1)), Ct);

        var longLease = TimeSpan.FromHours(2);
        var first = await Deliveries.ClaimDueAsync("node-a", T0.AddSeconds(5), longLease, 1, Ct);
        var rest = await Deliveries.ClaimDueAsync("node-a", T0.AddSeconds(5), longLease, 10, Ct);

        Assert.Equal([early.DeliveryIds[0]], first.Select(c => c.Delivery.Id));
        Assert.Equal([later.DeliveryIds[0]], rest.Select(c => c.Delivery.Id));
        Assert.Equal(T0.AddHours(1), await Deliveries.NextDueAtAsync(Ct));
        Assert.Equal([future.DeliveryIds[0]], (await Deliveries.ClaimDueAsync("node-a", T0.AddHours(1), Lease, 10, Ct)).Select(c => c.Delivery.Id));
    }

    [Theory]
    [InlineData(3, 7)]
    [InlineData(5, 5)]
    [InlineData(6, 13)]
    public async Task ClaimDue_ListsOfAnyLength_LeaseReadAndReleaseExactlyTheirOwnDeliveries(int wanted, int queued)
    {
        // The store writes its IN lists in power-of-two lengths (the last id repeated): a claim of 3, 5
        // or 6 still leases, reads and gives back exactly its own deliveries, each once.
        var repository = await RepositoryAsync();
        await ServiceAsync(repository.Id);
        var ids = new List<Guid>();
        for (var i = 0; i < queued; i++)
        {
            ids.AddRange((await Storage.Pushes.RecordPushAsync(PushOf(repository.Id, T0.AddSeconds(i), $"{{\"n\":{i}}}"), Ct)).DeliveryIds);
        }

        var claimed = await Deliveries.ClaimDueAsync("node-a", T0.AddMinutes(1), Lease, wanted, Ct);
        Assert.Equal(ids.Take(wanted), claimed.Select(c => c.Delivery.Id));
        Assert.Equal(Enumerable.Range(0, wanted).Select(i => $"{{\"n\":{i}}}"), claimed.Select(c => c.Payload));

        var others = await Deliveries.ClaimDueAsync("node-b", T0.AddMinutes(1), Lease, 100, Ct);
        Assert.Equal(ids.Skip(wanted), others.Select(c => c.Delivery.Id));

        await Deliveries.ReleaseAsync("node-a", [.. claimed.Select(c => c.Delivery.Id)], Ct);
        Assert.Equal(ids.Take(wanted), (await Deliveries.ClaimDueAsync("node-c", T0.AddMinutes(1), Lease, 100, Ct)).Select(c => c.Delivery.Id));
    }

    [Fact]
    public async Task ClaimDue_LeasedDelivery_IsNotClaimedAgainUntilTheLeaseExpires_ThenAnotherNodeMayTakeIt()
    {
        var (_, service, deliveryId) = await QueuedAsync();
        var claimed = Assert.Single(await Deliveries.ClaimDueAsync("node-a", T0, Lease, 10, Ct));
        Assert.Equal(service.Id, claimed.Service.Id);
        Assert.Equal(["s1"], claimed.Service.Secrets);

        Assert.Empty(await Deliveries.ClaimDueAsync("node-b", T0 + Lease - TimeSpan.FromSeconds(1), Lease, 10, Ct));
        Assert.Equal(T0 + Lease, await Deliveries.NextDueAtAsync(Ct));

        var reclaimed = Assert.Single(await Deliveries.ClaimDueAsync("node-b", T0 + Lease, Lease, 10, Ct));
        Assert.Equal(deliveryId, reclaimed.Delivery.Id);
    }

    [Fact]
    public async Task ClaimDue_WithServiceShare_TakesEachServicesOldestUpToWhatIsLeftOfItsShare()
    {
        var repository = await RepositoryAsync();
        var busy = await ServiceAsync(repository.Id, url: "https://busy.example.com/hook");
        var idle = await ServiceAsync(repository.Id, url: "https://idle.example.com/hook");
        for (var i = 0; i < 5; i++)
        {
            await Storage.Pushes.RecordPushAsync(PushOf(repository.Id, T0.AddSeconds(i)), Ct);
        }

        var share = new ServiceShare(3, new Dictionary<long, int> { [busy.Id] = 1 });
        var claimed = await Deliveries.ClaimDueAsync("node-a", T0.AddMinutes(1), Lease, 10, share, Ct);

        var busyClaimed = claimed.Where(c => c.Service.Id == busy.Id).Select(c => c.Delivery.CreatedAt).ToList();
        var idleClaimed = claimed.Where(c => c.Service.Id == idle.Id).Select(c => c.Delivery.CreatedAt).ToList();
        Assert.Equal([T0, T0.AddSeconds(1)], busyClaimed);
        Assert.Equal([T0, T0.AddSeconds(1), T0.AddSeconds(2)], idleClaimed);
        Assert.Equal(5, (await Deliveries.ClaimDueAsync("node-a", T0.AddMinutes(1), Lease, 10, Ct)).Count); // the rest, unlimited
    }

    [Fact]
    public async Task ClaimDue_ServiceAtItsShare_IsSkipped_SoANewerDeliveryOfAnotherServiceIsClaimed()
    {
        var repository = await RepositoryAsync();
        var hanging = await ServiceAsync(repository.Id, url: "https://hanging.example.com/hook");
        for (var i = 0; i < 20; i++)
        {
            await Deliveries.EnqueueAsync(hanging.Id, DeliveryEvents.Ping, "{}", T0.AddSeconds(i), Ct);
        }

        var other = await ServiceAsync(repository.Id, url: "https://other.example.com/hook");
        var newest = await Deliveries.EnqueueAsync(other.Id, DeliveryEvents.Ping, "{}", T0.AddMinutes(1), Ct);

        var share = new ServiceShare(4, new Dictionary<long, int> { [hanging.Id] = 4 });
        var claimed = Assert.Single(await Deliveries.ClaimDueAsync("node-a", T0.AddMinutes(2), Lease, 2, share, Ct));

        Assert.Equal(newest.Id, claimed.Delivery.Id);
    }

    [Fact]
    public async Task ClaimDue_DeepBacklogOfOneServiceWithRoomLeft_DoesNotHideAnotherServicesNewerDelivery()
    {
        // More of one service's deliveries are due than a claim's window reads; that service takes its
        // share, and the claim still reaches the other service's newer delivery behind them.
        var repository = await RepositoryAsync();
        var busy = await ServiceAsync(repository.Id, url: "https://busy.example.com/hook");
        for (var i = 0; i < 60; i++)
        {
            await Deliveries.EnqueueAsync(busy.Id, DeliveryEvents.Ping, "{}", T0.AddSeconds(i), Ct);
        }

        var other = await ServiceAsync(repository.Id, url: "https://other.example.com/hook");
        var newest = await Deliveries.EnqueueAsync(other.Id, DeliveryEvents.Ping, "{}", T0.AddMinutes(5), Ct);

        var share = new ServiceShare(4, new Dictionary<long, int>());
        var claimed = await Deliveries.ClaimDueAsync("node-a", T0.AddMinutes(10), Lease, 10, share, Ct);

        Assert.Equal(4, claimed.Count(c => c.Service.Id == busy.Id));
        Assert.Equal(newest.Id, Assert.Single(claimed, c => c.Service.Id == other.Id).Delivery.Id);
    }

    [Theory]
    [InlineData("paused")]
    [InlineData("disabled")]
    [InlineData("inactive")]
    public async Task ClaimDue_SkipsDeliveriesOfPausedDisabledOrInactiveServices_WhichKeepThemQueued(string state)
    {
        var (repository, service, deliveryId) = await QueuedAsync();
        switch (state)
        {
            case "paused":
                await Storage.PostServices.PauseServiceAsync(service.Id, T0.AddMinutes(10), Ct);
                break;
            case "disabled":
                await Storage.PostServices.DisableServiceAsync(service.Id, "gone", T0, Ct);
                break;
            default:
                await Storage.PostServices.UpdateServiceAsync(repository.Id, service.Id, new PostServiceSettings(service.Url, service.Format, false, service.Secrets), Ct);
                break;
        }

        Assert.Empty(await Deliveries.ClaimDueAsync("node-a", T0.AddMinutes(5), Lease, 10, Ct));
        Assert.Equal(state == "paused" ? T0.AddMinutes(10) : null, await Deliveries.NextDueAtAsync(Ct));
        Assert.Equal(state == "paused" ? 1 : 0, (await Deliveries.ClaimDueAsync("node-a", T0.AddMinutes(10), Lease, 10, Ct)).Count);
        Assert.Equal(DeliveryStatus.Pending, (await Deliveries.FindDeliveryAsync(service.Id, deliveryId, Ct))!.Delivery.Status);
    }

    [Fact]
    public async Task Claim_OneDelivery_IgnoresDueTimeAndServiceState_ButNotAnotherNodesLease()
    {
        var repository = await RepositoryAsync();
        var service = await ServiceAsync(repository.Id);
        await Storage.PostServices.DisableServiceAsync(service.Id, "gone", T0, Ct);
        var ping = await Deliveries.EnqueueAsync(service.Id, DeliveryEvents.Ping, "{\"zen\":1}", T0.AddHours(1), Ct);

        var claimed = await Deliveries.ClaimAsync(ping.Id, "node-a", T0, Lease, Ct);

        Assert.NotNull(claimed);
        Assert.Equal(("{\"zen\":1}", DeliveryEvents.Ping, (long?)null), (claimed.Payload, claimed.Delivery.Event, claimed.Delivery.PushId));
        Assert.Null(await Deliveries.ClaimAsync(ping.Id, "node-b", T0, Lease, Ct));
        Assert.Null(await Deliveries.ClaimAsync(Guid.CreateVersion7(), "node-b", T0, Lease, Ct));
    }

    // Regression: a ping queued then claimed could be taken by a woken dispatcher in between, and
    // POST .../services/{id}/test answered 500 ("vanished before it could be sent").
    [Fact]
    public async Task EnqueueClaimed_Ping_IsLeasedToTheCallerAtOnce_SoNoDispatcherCanTakeIt()
    {
        var repository = await RepositoryAsync();
        var service = await ServiceAsync(repository.Id);

        var claimed = await Deliveries.EnqueueClaimedAsync(service.Id, DeliveryEvents.Ping, "{\"zen\":1}", "node-a", T0, Lease, Ct);

        Assert.Equal(("{\"zen\":1}", DeliveryEvents.Ping, (long?)null), (claimed.Payload, claimed.Delivery.Event, claimed.Delivery.PushId));
        Assert.Empty(await Deliveries.ClaimDueAsync("node-b", T0, Lease, 10, Ct));
        Assert.Null(await Deliveries.ClaimAsync(claimed.Delivery.Id, "node-b", T0, Lease, Ct));
        Assert.Single(await Deliveries.ClaimDueAsync("node-b", T0 + Lease, Lease, 10, Ct)); // an abandoned ping is still sent, once its lease expires
    }

    [Fact]
    public async Task NextDueAt_IsNullWithNothingPending()
    {
        Assert.Null(await Deliveries.NextDueAtAsync(Ct));
        var (_, _, deliveryId) = await QueuedAsync();
        await Deliveries.ClaimDueAsync("node-a", T0, Lease, 10, Ct);
        await Deliveries.SettleAsync("node-a", [Settled(deliveryId, AttemptOutcome.Succeeded, DeliveryStatus.Succeeded, null)], Ct);

        Assert.Null(await Deliveries.NextDueAtAsync(Ct));
    }

    [Fact]
    public async Task CountPending_CountsQueuedRetryingAndLeased_NotFinished()
    {
        var repository = await RepositoryAsync();
        await ServiceAsync(repository.Id);
        await ServiceAsync(repository.Id, url: "https://ci.example.com/other");
        for (var i = 0; i < 3; i++)
        {
            await Storage.Pushes.RecordPushAsync(PushOf(repository.Id, T0.AddSeconds(i)), Ct);
        }

        Assert.Equal(6, await Deliveries.CountPendingAsync(Ct));
        var leased = await Deliveries.ClaimDueAsync("node-a", T0.AddSeconds(5), Lease, 3, Ct);
        await Deliveries.SettleAsync("node-a", [
            Settled(leased[0].Delivery.Id, AttemptOutcome.Succeeded, DeliveryStatus.Succeeded, null),
            Settled(leased[1].Delivery.Id, AttemptOutcome.RetryableFailure, DeliveryStatus.Pending, T0.AddMinutes(1)),
        ], Ct);

        // One finished; one waits for its retry and one is still leased: both are pending.
        Assert.Equal(5, await Deliveries.CountPendingAsync(Ct));
        await Deliveries.SettleAsync("node-a", [Settled(leased[2].Delivery.Id, AttemptOutcome.PermanentFailure, DeliveryStatus.Failed, null)], Ct);
        Assert.Equal(4, await Deliveries.CountPendingAsync(Ct));
    }

    [Fact]
    public async Task ClaimDue_DeliveriesOfOnePush_CarryOnePayloadInstance()
    {
        var repository = await RepositoryAsync();
        await ServiceAsync(repository.Id, url: "https://ci.example.com/one");
        await ServiceAsync(repository.Id, url: "https://ci.example.com/two");
        await Storage.Pushes.RecordPushAsync(PushOf(repository.Id, T0), Ct);

        var claimed = await Deliveries.ClaimDueAsync("node-a", T0, Lease, 10, Ct);

        // One instance lets the sender encode a push's body once for all its services.
        Assert.Equal(2, claimed.Count);
        Assert.Same(claimed[0].Payload, claimed[1].Payload);
        Assert.Equal(["https://ci.example.com/one", "https://ci.example.com/two"], claimed.Select(c => c.Service.Url).Order());
    }

    [Fact]
    public async Task ClaimDue_DeliveriesOfOnePushInSeparateClaims_CarryOnePayloadInstance_AndEachPushItsOwn()
    {
        // A push's deliveries split over claims (fairness caps do that) still share one payload
        // instance, so its body is encoded once; another push never gets it.
        var repository = await RepositoryAsync();
        await ServiceAsync(repository.Id, url: "https://ci.example.com/one");
        await ServiceAsync(repository.Id, url: "https://ci.example.com/two");
        var first = PushOf(repository.Id, T0);
        await Storage.Pushes.RecordPushAsync(first, Ct);
        var second = PushOf(repository.Id, T0.AddSeconds(1), "{\"second\": true}");
        await Storage.Pushes.RecordPushAsync(second, Ct);

        var one = await Deliveries.ClaimDueAsync("node-a", T0, Lease, 1, Ct);
        var other = await Deliveries.ClaimDueAsync("node-a", T0, Lease, 1, Ct);
        var rest = await Deliveries.ClaimDueAsync("node-a", T0.AddSeconds(1), Lease, 10, Ct);

        Assert.Equal((1, 1, 2), (one.Count, other.Count, rest.Count));
        Assert.Equal(one[0].Delivery.PushId, other[0].Delivery.PushId);
        Assert.Same(one[0].Payload, other[0].Payload);
        Assert.Equal(first.Payload, one[0].Payload);
        Assert.All(rest, c => Assert.Equal(second.Payload, c.Payload));
    }
}
