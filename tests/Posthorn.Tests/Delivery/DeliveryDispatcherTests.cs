using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Posthorn.Core.Deliveries;
using Posthorn.Tests.Delivery.Support;

namespace Posthorn.Tests.Delivery;

/// <summary>The dispatcher end to end: real SQLite store, real loopback receivers, real sockets.</summary>
public sealed class DeliveryDispatcherTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Dispatch_ReceiverFailsTwiceThenSucceeds_DeliveredWithThreeAttemptsRecorded()
    {
        await using var harness = await DispatchHarness.StartAsync();
        var calls = 0;
        await using var receiver = await LoopbackReceiver.StartAsync(c =>
        {
            c.Response.StatusCode = Interlocked.Increment(ref calls) <= 2 ? 500 : 200;
            return Task.CompletedTask;
        });
        var service = await harness.ServiceAsync(receiver.Url);
        var id = (await harness.EnqueueAsync(service, 1)).Single();

        await harness.StartDispatcherAsync("node-a");

        await DispatchHarness.EventuallyAsync(async () => (await DetailAsync(harness, service.Id, id)).Delivery.Status == DeliveryStatus.Succeeded, Patience, "delivery");
        var detail = await DetailAsync(harness, service.Id, id);
        Assert.Equal([500, 500, 200], detail.Attempts.Select(a => a.ResponseStatus ?? 0));
        Assert.Equal([1, 2, 3], detail.Attempts.Select(a => a.Number));
        Assert.Equal(3, receiver.Requests.Count);
        Assert.All(receiver.Requests, r => Assert.Equal(id.ToString(), r.Headers["X-Posthorn-Delivery"]));
    }

    [Fact]
    public async Task Dispatch_ScheduleExhausted_DeliveryFailed()
    {
        await using var harness = await DispatchHarness.StartAsync();
        await using var receiver = await LoopbackReceiver.StartAsync(c =>
        {
            c.Response.StatusCode = 500;
            return Task.CompletedTask;
        });
        var service = await harness.ServiceAsync(receiver.Url);
        var id = (await harness.EnqueueAsync(service, 1)).Single();

        await harness.StartDispatcherAsync("node-a", new() { ["Delivery:PauseAfterFailures"] = "100", ["Delivery:DisableAfterFailures"] = "100" });

        await DispatchHarness.EventuallyAsync(async () => (await DetailAsync(harness, service.Id, id)).Delivery.Status == DeliveryStatus.Failed, Patience, "failure");
        Assert.Equal(4, (await DetailAsync(harness, service.Id, id)).Attempts.Count); // 1 + three scheduled retries
    }

    [Fact]
    public async Task Dispatch_OneServiceBroken_OtherServiceUnaffected()
    {
        await using var harness = await DispatchHarness.StartAsync();
        await using var broken = await LoopbackReceiver.StartAsync(c => c.Request.Path == "/hang" ? Task.Delay(Timeout.Infinite, c.RequestAborted) : Reset(c));
        await using var healthy = await LoopbackReceiver.StartAsync();
        var hanging = await harness.ServiceAsync(new Uri(broken.Url, "hang"));
        var resetting = await harness.ServiceAsync(new Uri(broken.Url, "reset"));
        var good = await harness.ServiceAsync(healthy.Url);
        var hangingIds = await harness.EnqueueAsync(hanging, 3);
        await harness.EnqueueAsync(resetting, 10);
        var goodIds = await harness.EnqueueAsync(good, 20);

        await harness.StartDispatcherAsync("node-a", new() { ["Delivery:AttemptTimeout"] = "00:01:00", ["Delivery:Lease"] = "00:02:00" });

        await DispatchHarness.EventuallyAsync(() => Task.FromResult(healthy.Requests.Count >= goodIds.Count), Patience, "the healthy service's deliveries");
        // Ordering, not timing: every healthy delivery arrived while the hanging attempts were still open.
        foreach (var id in hangingIds)
        {
            Assert.Empty((await DetailAsync(harness, hanging.Id, id)).Attempts);
        }

        await DispatchHarness.EventuallyAsync(
            async () => (await harness.Storage.PostServices.FindServiceAsync(resetting.RepositoryId, resetting.Id, CancellationToken.None))!.Health is { ConsecutiveFailures: >= 4, PausedUntil: not null },
            Patience,
            "the resetting service to be paused (flagged, visibly)");

        static Task Reset(HttpContext context)
        {
            context.Abort();
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Dispatch_PausedService_AllDeliveriesArriveAfterThePause()
    {
        await using var harness = await DispatchHarness.StartAsync();
        await using var receiver = await LoopbackReceiver.StartAsync();
        var service = await harness.ServiceAsync(receiver.Url);
        var pausedUntil = DateTimeOffset.UtcNow.AddSeconds(1);
        await harness.Storage.PostServices.PauseServiceAsync(service.Id, pausedUntil, CancellationToken.None);
        var ids = await harness.EnqueueAsync(service, 5);

        await harness.StartDispatcherAsync("node-a");
        await Task.Delay(500);
        Assert.Empty(receiver.Requests);

        await DispatchHarness.EventuallyAsync(() => Task.FromResult(receiver.Requests.Count == ids.Count), Patience, "deliveries after the pause");
        Assert.True(DateTimeOffset.UtcNow >= pausedUntil);
        Assert.Equal(ids.Select(i => i.ToString()).Order(), receiver.Requests.Select(r => r.Headers["X-Posthorn-Delivery"]).Order());
    }

    // Issue 3: with more queued deliveries than MaxConcurrency, a hanging service used to fill every slot.
    [Fact]
    public async Task Dispatch_HangingServiceWithDeepBacklog_HealthyServiceDeliveredPromptly()
    {
        await using var harness = await DispatchHarness.StartAsync();
        await using var hangingReceiver = await LoopbackReceiver.StartAsync(c => Task.Delay(Timeout.Infinite, c.RequestAborted));
        await using var healthy = await LoopbackReceiver.StartAsync();
        var hanging = await harness.ServiceAsync(hangingReceiver.Url);
        var good = await harness.ServiceAsync(healthy.Url);
        await harness.EnqueueAsync(hanging, 100);
        var goodId = (await harness.EnqueueAsync(good, 1)).Single();

        var hangingWhenHealthyArrived = -1;
        healthy.Received += () => Interlocked.CompareExchange(ref hangingWhenHealthyArrived, hangingReceiver.Requests.Count, -1);
        await harness.StartDispatcherAsync("node-a", new()
        {
            ["Delivery:AttemptTimeout"] = "00:01:00", // the hanging attempts stay open for the whole test
            ["Delivery:Lease"] = "00:02:00",
            ["Delivery:MaxConcurrency"] = "16",
            ["Delivery:MaxInFlightPerService"] = "4",
        });

        await DispatchHarness.EventuallyAsync(() => Task.FromResult(!healthy.Requests.IsEmpty), Patience, "the healthy service's delivery");
        Assert.Equal(goodId.ToString(), Assert.Single(healthy.Requests).Headers["X-Posthorn-Delivery"]);
        Assert.InRange(hangingWhenHealthyArrived, 0, 4); // sent beside the hanging share, not after it timed out
        await DispatchHarness.EventuallyAsync(() => Task.FromResult(hangingReceiver.Requests.Count == 4), Patience, "the hanging service's share");
        Assert.Equal(4, hangingReceiver.Requests.Count); // its share, no more, while its attempts hang
    }

    [Fact]
    public async Task Dispatch_OneServiceBacklog_KeepsItsShareInFlightUntilDrained()
    {
        await using var harness = await DispatchHarness.StartAsync();
        var inFlight = 0;
        var peak = 0;
        await using var receiver = await LoopbackReceiver.StartAsync(async c =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref peak, now);
            await Task.Delay(20);
            Interlocked.Decrement(ref inFlight);
        });
        var service = await harness.ServiceAsync(receiver.Url);
        var ids = await harness.EnqueueAsync(service, 60);

        await harness.StartDispatcherAsync("node-a", new() { ["Delivery:MaxInFlightPerService"] = "3" });

        await DispatchHarness.EventuallyAsync(() => Task.FromResult(receiver.Requests.Count >= ids.Count), Patience, "every delivery");
        Assert.InRange(peak, 1, 3);

        static void InterlockedMax(ref int target, int value)
        {
            int seen;
            while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
            {
            }
        }
    }

    [Fact]
    public async Task Dispatch_LeaseOfDeadNodeExpires_AnotherDispatcherDelivers()
    {
        await using var harness = await DispatchHarness.StartAsync();
        await using var receiver = await LoopbackReceiver.StartAsync();
        var service = await harness.ServiceAsync(receiver.Url);
        var id = (await harness.EnqueueAsync(service, 1)).Single();

        // A node claims the delivery and dies before sending: its lease must run out, then node-b takes over.
        var claimedByDead = await harness.Storage.Deliveries.ClaimDueAsync("dead-node", DateTimeOffset.UtcNow, TimeSpan.FromSeconds(1), 10, CancellationToken.None);
        Assert.Single(claimedByDead);
        await harness.StartDispatcherAsync("node-b");
        await Task.Delay(300);
        Assert.Empty(receiver.Requests);

        await DispatchHarness.EventuallyAsync(async () => (await DetailAsync(harness, service.Id, id)).Delivery.Status == DeliveryStatus.Succeeded, Patience, "takeover");
        var attempt = Assert.Single((await DetailAsync(harness, service.Id, id)).Attempts);
        Assert.Equal("node-b", attempt.NodeId);
    }

    private static async Task<DeliveryDetail> DetailAsync(DispatchHarness harness, long serviceId, Guid id) =>
        (await harness.Storage.Deliveries.FindDeliveryAsync(serviceId, id, CancellationToken.None))!;
}
