using System.Diagnostics;
using Posthorn.Core.Deliveries;
using Posthorn.EndToEnd.Support;
using Xunit.Abstractions;

namespace Posthorn.EndToEnd.MultiNode;

/// <summary>
/// A measurement for docs/operations.md: deliveries/s draining a queued backlog with one node, then with two
/// nodes on the same PostgreSQL. The backlog is queued by the test straight into the store while its
/// services are paused, then released at once, so only draining is timed. Size: POSTHORN_THROUGHPUT_N
/// (default 5000). The figures are printed and recorded in docs/operations.md.
/// </summary>
[Trait("Category", "Throughput")]
[Collection(ThroughputCollection.Name)]
public sealed class MultiNodeThroughputTests(ITestOutputHelper output)
{
    private const int Services = 8;

    [MeasurementFact]
    public async Task DrainBacklog_OneNodeThenTwoNodes_PrintsDeliveriesPerSecond()
    {
        var n = int.TryParse(Environment.GetEnvironmentVariable("POSTHORN_THROUGHPUT_N"), out var configured) ? configured : 5000;
        await using var receiver = await TimedReceiver.StartAsync();
        await using var cluster = await Cluster.CreateAsync(new Dictionary<string, string> { ["Delivery__MaxIdle"] = "00:00:00.050" });
        var services = new List<long>();
        for (var i = 0; i < Services; i++)
        {
            services.Add(await cluster.AddServiceAsync($"{receiver.Url}?service={i}"));
        }

        await using var storage = cluster.OpenStorage();
        await cluster.StartNodeAsync("node-a");
        var one = await DrainAsync(storage, services, receiver, n, 0);

        await cluster.StartNodeAsync("node-b");
        var two = await DrainAsync(storage, services, receiver, n, n);

        output.WriteLine($"throughput: {n} deliveries over {Services} services; one node {one:0} deliveries/s, two nodes {two:0} deliveries/s ({two / one:0.00}x), {Environment.ProcessorCount} cores");
    }

    private static async Task<double> DrainAsync(Storage.StorageHandle storage, IReadOnlyList<long> services, TimedReceiver receiver, int n, int deliveredBefore)
    {
        var far = DateTimeOffset.UtcNow.AddDays(1);
        foreach (var service in services)
        {
            await storage.PostServices.PauseServiceAsync(service, far, CancellationToken.None);
        }

        var queued = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, n), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
        {
            await storage.Deliveries.EnqueueAsync(services[i % services.Count], DeliveryEvents.Ping, $"{{\"n\":{i}}}", DateTimeOffset.UtcNow, ct);
            Interlocked.Increment(ref queued);
        });

        var watch = Stopwatch.StartNew();
        foreach (var service in services)
        {
            await storage.PostServices.PauseServiceAsync(service, DateTimeOffset.UtcNow, CancellationToken.None);
        }

        await receiver.WaitForDeliveredAsync(deliveredBefore + n, TimeSpan.FromSeconds(90));
        return n / watch.Elapsed.TotalSeconds;
    }
}

/// <summary>
/// The drain keeps both cores busy for half a minute: run alone, so it neither starves the browser
/// tests' timeouts nor has its figure skewed by them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ThroughputCollection
{
    public const string Name = "Throughput (runs alone)";
}
