using Microsoft.Extensions.DependencyInjection;
using Posthorn.Core.Deliveries;
using Posthorn.Delivery.Pinging;
using Posthorn.Tests.Delivery.Support;

namespace Posthorn.Tests.Delivery;

public sealed class ServiceTesterTests
{
    [Fact]
    public async Task TestAsync_DisabledServiceAnswers_PingRecordedAndServiceReEnabled()
    {
        await using var harness = await DispatchHarness.StartAsync();
        await using var receiver = await LoopbackReceiver.StartAsync();
        var service = await harness.ServiceAsync(receiver.Url);
        await harness.Storage.PostServices.DisableServiceAsync(service.Id, "410 Gone from receiver", DateTimeOffset.UtcNow, CancellationToken.None);
        using var provider = Deliveries.Provider(more: s => s.AddSingleton(harness.Storage.Deliveries).AddSingleton(harness.Storage.PostServices));

        var attempt = await provider.GetRequiredService<ServiceTester>().TestAsync(service.Id, "{\"zen\":\"ping\"}", CancellationToken.None);

        Assert.Equal(AttemptOutcome.Succeeded, attempt.Outcome);
        Assert.Equal("ping", Assert.Single(receiver.Requests).Headers["X-Posthorn-Event"]);
        var after = await harness.Storage.PostServices.FindServiceAsync(service.RepositoryId, service.Id, CancellationToken.None);
        Assert.False(after!.Health.IsDisabled);
        var detail = await harness.Storage.Deliveries.FindDeliveryAsync(service.Id, attempt.DeliveryId, CancellationToken.None);
        Assert.Equal(DeliveryStatus.Succeeded, detail!.Delivery.Status);
        Assert.Single(detail.Attempts);
    }

    [Fact]
    public async Task TestAsync_ReceiverFails_PingMarkedFailedNotRetried()
    {
        await using var harness = await DispatchHarness.StartAsync();
        await using var receiver = await LoopbackReceiver.StartAsync(c =>
        {
            c.Response.StatusCode = 503;
            return Task.CompletedTask;
        });
        var service = await harness.ServiceAsync(receiver.Url);
        using var provider = Deliveries.Provider(more: s => s.AddSingleton(harness.Storage.Deliveries).AddSingleton(harness.Storage.PostServices));

        var attempt = await provider.GetRequiredService<ServiceTester>().TestAsync(service.Id, "{}", CancellationToken.None);

        Assert.Equal(AttemptOutcome.RetryableFailure, attempt.Outcome);
        var detail = await harness.Storage.Deliveries.FindDeliveryAsync(service.Id, attempt.DeliveryId, CancellationToken.None);
        Assert.Equal(DeliveryStatus.Failed, detail!.Delivery.Status);
    }

    // docs/post-service.md: a 410 disables the service; a Test answered with 410 does the same.
    [Fact]
    public async Task TestAsync_Receiver410_DisablesTheServiceWithTheGoneReason()
    {
        await using var harness = await DispatchHarness.StartAsync();
        await using var receiver = await LoopbackReceiver.StartAsync(c =>
        {
            c.Response.StatusCode = 410;
            return Task.CompletedTask;
        });
        var service = await harness.ServiceAsync(receiver.Url);
        using var provider = Deliveries.Provider(more: s => s.AddSingleton(harness.Storage.Deliveries).AddSingleton(harness.Storage.PostServices));

        var attempt = await provider.GetRequiredService<ServiceTester>().TestAsync(service.Id, "{}", CancellationToken.None);

        Assert.Equal(AttemptOutcome.Gone, attempt.Outcome);
        var after = (await harness.Storage.PostServices.FindServiceAsync(service.RepositoryId, service.Id, CancellationToken.None))!.Health;
        Assert.True(after.IsDisabled);
        Assert.Equal(ServiceHealthPolicy.GoneReason, after.DisabledReason);
        Assert.Empty(await harness.Storage.Deliveries.ClaimDueAsync("node-a", DateTimeOffset.UtcNow.AddMinutes(1), TimeSpan.FromMinutes(1), 10, CancellationToken.None));
    }

    [Fact]
    public async Task TestAsync_PausedServiceAnswers_ResumesWithOneQueuedDeliveryBeforeTheBacklog()
    {
        await using var harness = await DispatchHarness.StartAsync();
        await using var receiver = await LoopbackReceiver.StartAsync();
        var service = await harness.ServiceAsync(receiver.Url);
        var queued = await harness.EnqueueAsync(service, 5);
        await harness.Storage.PostServices.PauseServiceAsync(service.Id, DateTimeOffset.UtcNow.AddHours(3), CancellationToken.None);
        using var provider = Deliveries.Provider(more: s => s.AddSingleton(harness.Storage.Deliveries).AddSingleton(harness.Storage.PostServices));

        await provider.GetRequiredService<ServiceTester>().TestAsync(service.Id, "{}", CancellationToken.None);

        var claimed = await harness.Storage.Deliveries.ClaimDueAsync("node-a", DateTimeOffset.UtcNow.AddMinutes(1), TimeSpan.FromMinutes(1), 10, CancellationToken.None);
        Assert.Equal((queued[0], true), (Assert.Single(claimed).Delivery.Id, claimed[0].IsProbe));
    }
}
