using Posthorn.Core.Deliveries;
using Posthorn.Core.PostServices;

namespace Posthorn.Tests.Storage;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task CreateService_RoundTripsSettings_AndUpdateLeavesHealthAlone()
    {
        var repository = await RepositoryAsync();
        var created = await ServiceAsync(repository.Id);
        await Storage.PostServices.DisableServiceAsync(created.Id, "410 Gone", T0, Ct);

        var settings = new PostServiceSettings("https://u:p@other.example.com/${branch}", PayloadFormat.Json, false, ["new", "old"]);
        Assert.True(await Storage.PostServices.UpdateServiceAsync(repository.Id, created.Id, settings, Ct));
        var found = (await Storage.PostServices.FindServiceAsync(repository.Id, created.Id, Ct))!;

        Assert.Equal((settings.Url, settings.Format, settings.IsActive), (found.Url, found.Format, found.IsActive));
        Assert.Equal(["new", "old"], found.Secrets);
        Assert.Equal((T0, "410 Gone"), (found.Health.DisabledAt, found.Health.DisabledReason));
        Assert.Equal(T0, found.CreatedAt);
        Assert.False(await Storage.PostServices.UpdateServiceAsync(repository.Id + 1000, created.Id, settings, Ct));
        Assert.Equal([created.Id], (await Storage.PostServices.ListServicesAsync(repository.Id, Ct)).Select(s => s.Id));
    }

    // Found by review: a node paused (or disabled) a service for the failure count its batch left,
    // after another node's success had cleared that count: a working receiver was paused for hours.
    [Fact]
    public async Task PauseAndDisable_WhileFailing_ApplyOnlyWhileTheCountStillStands()
    {
        var (service, ids) = await QueuedForOneServiceAsync(2);
        await Deliveries.ClaimDueAsync("node-a", T0, Lease, 10, Ct);
        Assert.Equal([1], Failures(await Deliveries.SettleAsync("node-a", [Settled(ids[0], AttemptOutcome.RetryableFailure, DeliveryStatus.Pending, T0.AddMinutes(1))], Ct)));

        Assert.True(await Storage.PostServices.PauseServiceAsync(service.Id, T0.AddHours(1), 1, Ct));
        Assert.Equal(T0.AddHours(1), (await HealthOfAsync(service)).PausedUntil);

        Assert.Equal([0], Failures(await Deliveries.SettleAsync("node-a", [Settled(ids[1], AttemptOutcome.Succeeded, DeliveryStatus.Succeeded, null)], Ct))); // clears count and pause
        Assert.False(await Storage.PostServices.PauseServiceAsync(service.Id, T0.AddHours(2), 1, Ct));
        Assert.False(await Storage.PostServices.DisableServiceAsync(service.Id, "too many failures", T0, 1, Ct));
        var health = await HealthOfAsync(service);
        Assert.Equal((0, (DateTimeOffset?)null, (DateTimeOffset?)null), (health.ConsecutiveFailures, health.PausedUntil, health.DisabledAt));

        Assert.True(await Storage.PostServices.DisableServiceAsync(service.Id, "410 Gone", T0, 0, Ct)); // 0: whatever the count
        Assert.Equal("410 Gone", (await HealthOfAsync(service)).DisabledReason);
    }

    [Fact]
    public async Task EndProbeHold_EndsOnlyTheHold_NotAPauseSetSince()
    {
        var repository = await RepositoryAsync();
        var service = await ServiceAsync(repository.Id);
        var hold = T0 + Lease;
        await Storage.PostServices.PauseServiceAsync(service.Id, hold, Ct);

        Assert.True(await Storage.PostServices.EndProbeHoldAsync(service.Id, hold, T0, Ct));
        Assert.Equal(T0, (await HealthOfAsync(service)).PausedUntil);

        await Storage.PostServices.PauseServiceAsync(service.Id, T0.AddMinutes(30), Ct); // paused again, by another node say
        Assert.False(await Storage.PostServices.EndProbeHoldAsync(service.Id, hold, T0, Ct));
        Assert.Equal(T0.AddMinutes(30), (await HealthOfAsync(service)).PausedUntil);
    }

    private async Task<ServiceHealth> HealthOfAsync(PostService service) =>
        (await Storage.PostServices.FindServiceAsync(service.RepositoryId, service.Id, Ct))!.Health;

    [Fact]
    public async Task ResetHealth_ClearsPauseDisableAndFailures()
    {
        var (_, service, deliveryId) = await QueuedAsync();
        await Deliveries.ClaimDueAsync("node-a", T0, Lease, 10, Ct);
        await Deliveries.SettleAsync("node-a", [Settled(deliveryId, AttemptOutcome.RetryableFailure, DeliveryStatus.Pending, T0)], Ct);
        await Storage.PostServices.PauseServiceAsync(service.Id, T0.AddHours(1), Ct);
        await Storage.PostServices.DisableServiceAsync(service.Id, "too many failures", T0, Ct);

        Assert.True(await Storage.PostServices.ResetHealthAsync(service.Id, Ct));

        var health = (await Storage.PostServices.FindServiceAsync(service.RepositoryId, service.Id, Ct))!.Health;
        Assert.Equal((0, null, null), (health.ConsecutiveFailures, health.DisabledAt, health.DisabledReason));
        Assert.False(health.IsPausedAt(T0)); // resumed half-open: the pause's end is in the past
        Assert.Equal(AttemptOutcome.RetryableFailure, health.LastOutcome);
        Assert.True(Assert.Single(await Deliveries.ClaimDueAsync("node-a", T0, Lease, 10, Ct)).IsProbe);
    }

    [Fact]
    public async Task DeleteService_RemovesItsDeliveriesAndAttempts_OnlyInItsRepository()
    {
        var (repository, service, deliveryId) = await QueuedAsync();
        await Deliveries.ClaimDueAsync("node-a", T0, Lease, 10, Ct);
        await Deliveries.SettleAsync("node-a", [Settled(deliveryId, AttemptOutcome.Succeeded, DeliveryStatus.Succeeded, null)], Ct);

        Assert.False(await Storage.PostServices.DeleteServiceAsync(repository.Id + 1000, service.Id, Ct));
        Assert.True(await Storage.PostServices.DeleteServiceAsync(repository.Id, service.Id, Ct));

        Assert.Null(await Deliveries.FindDeliveryAsync(service.Id, deliveryId, Ct));
        Assert.Empty(await Deliveries.ListDeliveriesAsync(service.Id, null, 10, null, Ct));
        Assert.NotEmpty(await Storage.Pushes.ListPushesAsync(repository.Id, 10, null, Ct));
    }
}
