using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Posthorn.Core.Deliveries;
using Posthorn.Tests.Delivery.Support;

namespace Posthorn.Tests.Delivery;

/// <summary>
/// The dispatcher on a fake clock over a real SQLite store and a real loopback receiver: what it does
/// when its claim comes back late, and how it resumes a paused service. Time moves only when the
/// test says so; waits poll with a generous deadline.
/// </summary>
public sealed class DispatcherLeaseAndProbeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    // Regression: two nodes, a short lease and a loaded machine: one delivery was received twice at
    // once, because the lease ran from claim time and the attempt's timeout from send time.
    [Fact]
    public async Task Dispatch_ClaimReturnsTooLateForTheLease_GivesTheLeaseBackUnsent_ThenSendsOnceOnAFreshClaim()
    {
        await using var harness = await DispatchHarness.StartAsync();
        await using var receiver = await LoopbackReceiver.StartAsync();
        var service = await harness.ServiceAsync(receiver.Url);
        var id = (await harness.EnqueueAsync(service, 1)).Single();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(1));
        var store = new ObservedStore(harness.Storage.Deliveries);
        store.Witness = () => receiver.Requests.Count;
        var stalled = 0;
        store.AfterClaim = claimed =>
        {
            if (claimed.Count > 0 && Interlocked.Exchange(ref stalled, 1) == 0)
            {
                // The node was starved between claim and send: 2 min lease, 2 s attempts, 1 min 58.5 s gone.
                clock.Advance(TimeSpan.FromMinutes(2) - TimeSpan.FromSeconds(1.5));
            }
        };

        await harness.StartDispatcherAsync("node-a", new() { ["Delivery:Lease"] = "00:02:00", ["Delivery:AttemptTimeout"] = "00:00:02" },
            s => s.AddSingleton<IDeliveryStore>(store).AddSingleton<TimeProvider>(clock));

        // 1.5 s of lease left cannot cover a 2 s attempt + 1 s margin: given back, nothing sent before.
        Assert.Equal((id, 0), await store.Released.Task.WaitAsync(Patience));
        await DispatchHarness.EventuallyAsync(async () => (await DetailAsync(harness, service.Id, id)).Delivery.Status == DeliveryStatus.Succeeded, Patience, "the fresh claim's send");
        Assert.Single(receiver.Requests);
        Assert.Single((await DetailAsync(harness, service.Id, id)).Attempts);
    }

    // Regression: a 16-minute pause ended, the queued deliveries went at once, each failure doubled the
    // pause, and the service jumped to a 24 h pause (and toward being disabled) within a second.
    [Fact]
    public async Task Dispatch_PauseEnds_OneProbePerPause_FailuresCountedPerProbe_BacklogFlowsAfterASuccess()
    {
        await using var harness = await DispatchHarness.StartAsync();
        var healthy = 0;
        var current = 0;
        var most = 0;
        await using var receiver = await LoopbackReceiver.StartAsync(async c =>
        {
            InterlockedMax(ref most, Interlocked.Increment(ref current));
            await Task.Delay(10); // long enough for overlapping sends to overlap here
            c.Response.StatusCode = Volatile.Read(ref healthy) == 1 ? 200 : 500;
            Interlocked.Decrement(ref current);
        });
        var service = await harness.ServiceAsync(receiver.Url);
        var ids = await harness.EnqueueAsync(service, 16);
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds())); // whole ms, as stored
        await harness.Storage.PostServices.PauseServiceAsync(service.Id, clock.GetUtcNow().AddMinutes(16), CancellationToken.None);
        var settings = new Dictionary<string, string?>
        {
            ["Delivery:PauseAfterFailures"] = "1", // every failed attempt pauses: a burst would be counted in full
            ["Delivery:DisableAfterFailures"] = "100",
            ["Delivery:PauseBase"] = "00:01:00",
            ["Delivery:PauseMax"] = "1.00:00:00",
            ["Delivery:MaxInFlightPerService"] = "4",
            ["Delivery:Lease"] = "00:00:30", // a probe's hold (30 s) never looks like a pause (2^n min)
        };
        for (var i = 0; i < 10; i++)
        {
            settings[$"Delivery:RetrySchedule:{i}"] = "00:00:00.050";
        }

        await harness.StartDispatcherAsync("node-a", settings, s => s.AddSingleton<TimeProvider>(clock));

        for (var probe = 1; probe <= 3; probe++)
        {
            clock.Advance(TimeSpan.FromDays(2)); // past any pause
            await EventuallyPausedAsync(harness, service, clock, probe);
            Assert.Equal(probe, receiver.Requests.Count); // exactly one request per ended pause
            Assert.Equal(TimeSpan.FromMinutes(1 << (probe - 1)), (await HealthAsync(harness, service)).PausedUntil - clock.GetUtcNow()); // doubled once per probe
        }

        Volatile.Write(ref healthy, 1);
        clock.Advance(TimeSpan.FromDays(2));
        await DispatchHarness.EventuallyAsync(
            async () => (await Task.WhenAll(ids.Select(id => DetailAsync(harness, service.Id, id)))).All(d => d.Delivery.Status == DeliveryStatus.Succeeded),
            Patience, "the backlog after a successful probe");
        var health = await HealthAsync(harness, service);
        Assert.Equal((0, null), (health.ConsecutiveFailures, health.PausedUntil));
        Assert.Equal(3 + 16, receiver.Requests.Count);
        Assert.InRange(Volatile.Read(ref most), 1, 4);
    }

    private static async Task EventuallyPausedAsync(DispatchHarness harness, Core.PostServices.PostService service, FakeTimeProvider clock, int failures) =>
        await DispatchHarness.EventuallyAsync(
            async () => await HealthAsync(harness, service) is var h && h.ConsecutiveFailures == failures && h.IsPausedAt(clock.GetUtcNow())
                && h.PausedUntil - clock.GetUtcNow() != TimeSpan.FromSeconds(30), // paused again, not still held for the probe
            Patience, $"the service to be paused after {failures} failures");

    private static async Task<Core.PostServices.ServiceHealth> HealthAsync(DispatchHarness harness, Core.PostServices.PostService service) =>
        (await harness.Storage.PostServices.FindServiceAsync(service.RepositoryId, service.Id, CancellationToken.None))!.Health;

    private static async Task<DeliveryDetail> DetailAsync(DispatchHarness harness, long serviceId, Guid id) =>
        (await harness.Storage.Deliveries.FindDeliveryAsync(serviceId, id, CancellationToken.None))!;

    private static void InterlockedMax(ref int target, int value)
    {
        for (var seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, seen) == seen)
            {
                return;
            }
        }
    }
}
