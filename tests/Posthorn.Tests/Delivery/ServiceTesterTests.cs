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

    // Found by review: the Test request ending mid-send (the browser closed, Ctrl-C in the CLI) cancelled
    // the send, and the ping stayed queued and leased, for the dispatcher to retry as an ordinary delivery.
    [Fact]
    public async Task TestAsync_CallerGivesUpMidSend_ThePingIsStillSentAndRecorded_NotLeftQueued()
    {
        await using var harness = await DispatchHarness.StartAsync();
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var receiver = await LoopbackReceiver.StartAsync(async c =>
        {
            arrived.TrySetResult();
            await answer.Task;
            c.Response.StatusCode = 200;
        });
        var service = await harness.ServiceAsync(receiver.Url);
        using var provider = Deliveries.Provider(more: s => s.AddSingleton(harness.Storage.Deliveries).AddSingleton(harness.Storage.PostServices));
        using var caller = new CancellationTokenSource();

        var testing = provider.GetRequiredService<ServiceTester>().TestAsync(service.Id, "{}", caller.Token);
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await caller.CancelAsync();
        answer.SetResult();
        var attempt = await testing.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(AttemptOutcome.Succeeded, attempt.Outcome);
        var detail = await harness.Storage.Deliveries.FindDeliveryAsync(service.Id, attempt.DeliveryId, CancellationToken.None);
        Assert.Equal((DeliveryStatus.Succeeded, 1), (detail!.Delivery.Status, detail.Attempts.Count));
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
