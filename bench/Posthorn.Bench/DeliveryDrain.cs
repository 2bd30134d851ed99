using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Posthorn.Core.Deliveries;
using Posthorn.Core.PostServices;
using Posthorn.Core.Pushes;

namespace Posthorn.Bench;

/// <summary>
/// One measured drain of the durable queue: <see cref="Shape.Deliveries"/> deliveries are queued through
/// the store (<c>RecordPushAsync</c>: one delivery per active service per push) before any host starts;
/// then <see cref="Shape.Nodes"/> real hosts on the same database start together. The clock (and the
/// CPU count) runs from the first POST received, so the hosts' start-up is not in the figure, until the
/// receiver has every POST and the store reports nothing pending (every attempt recorded and settled);
/// <see cref="Result.Measured"/> is the number of deliveries inside that window. Services are spread over owners, one repository each (the owners' pushes queued side by side), every URL a distinct
/// /hook/{service} on the loopback receiver so arrivals can be told apart.
/// </summary>
public static class DeliveryDrain
{
    public sealed record Shape(int Deliveries, int Owners, int ServicesPerOwner, string Payload, string? Database = null, int Nodes = 1, int Concurrency = 64);

    /// <summary>What a drain measured. WorstFairShare: at each quarter of the arrivals, the least a service had of its own deliveries, over the overall fraction.</summary>
    public sealed record Result(TimeSpan AllReceived, TimeSpan Drained, long Received, double PeakRssMb, double RssBeforeMb, double WorstFairShare, TimeSpan Queued, TimeSpan Cpu, long Measured, long Allocated = 0, int Gen0 = 0, TimeSpan GcPause = default);

    public static async Task<Result> RunAsync(string data, Receiver receiver, Shape shape)
    {
        Directory.CreateDirectory(data);
        var services = shape.Owners * shape.ServicesPerOwner;
        var nodes = new List<BenchServer>();
        try
        {
            for (var i = 0; i < shape.Nodes; i++)
            {
                nodes.Add(await BenchServer.StartAsync(Path.Combine(data, $"node{i}"), new Dictionary<string, string>
                {
                    ["Delivery:MaxConcurrency"] = shape.Concurrency.ToString(CultureInfo.InvariantCulture),
                    ["Delivery:NodeId"] = $"bench-node-{i}",
                }, start: false, database: shape.Database));
            }

            var first = nodes[0];
            await first.WithUserAsync();
            var repositories = new List<long>();
            for (var o = 0; o < shape.Owners; o++)
            {
                var owner = o == 0 ? "bench" : $"owner{o}";
                if (o > 0)
                {
                    await first.CreateOwnerAsync(owner);
                }

                var repository = await first.CreateRepositoryAsync($"drain{o}", owner);
                for (var s = 0; s < shape.ServicesPerOwner; s++)
                {
                    await first.AddServiceAsync(repository.Id, $"{receiver.Url}/{(o * shape.ServicesPerOwner) + s}", PayloadFormat.BitbucketPost);
                }

                foreach (var node in nodes)
                {
                    node.RemoveGitFolder(repository);
                }

                repositories.Add(repository.Id);
            }

            // The owners push side by side, as independent owners would (each repository's pushes in order);
            // on PostgreSQL their commits then share the server's flushes instead of waiting for one each.
            var pushes = first.Services.GetRequiredService<IPushStore>();
            var queueing = Stopwatch.StartNew();
            var perRepository = shape.Deliveries / services;
            await Task.WhenAll(repositories.Select(repository => Task.Run(async () =>
            {
                for (var p = 0; p < perRepository; p++)
                {
                    var update = new RefUpdate("refs/heads/main", p.ToString("x40", CultureInfo.InvariantCulture), (p + 1).ToString("x40", CultureInfo.InvariantCulture));
                    await pushes.RecordPushAsync(new NewPush(repository, "bench", DateTimeOffset.UtcNow, [update], 3, shape.Payload), CancellationToken.None);
                }
            })));

            var queued = queueing.Elapsed;
            var total = perRepository * services;
            var arrivals = new ConcurrentDictionary<string, int>();
            var progress = new List<(long Count, Dictionary<string, int> Arrivals)>();
            receiver.Reset();
            receiver.OnKey = key => arrivals.AddOrUpdate(key, 1, (_, n) => n + 1);
            var rssBefore = Rss();
            var peak = rssBefore;
            var deliveries = first.Services.GetRequiredService<IDeliveryStore>();
            var starting = Stopwatch.StartNew();
            await Task.WhenAll(nodes.Select(n => n.StartHostAsync()));
            while (receiver.Count == 0 && starting.Elapsed < TimeSpan.FromMinutes(1))
            {
                await Task.Delay(1);
            }

            var cpu = ProcessCpu.Read();
            var allocated = GC.GetTotalAllocatedBytes();
            var gen0 = GC.CollectionCount(0);
            var pause = GC.GetTotalPauseDuration();
            var clock = Stopwatch.StartNew();
            var atStart = receiver.Count;
            TimeSpan? allReceived = null;
            var nextQuarter = 1;
            while (clock.Elapsed < TimeSpan.FromMinutes(3))
            {
                peak = Math.Max(peak, Rss());
                var count = receiver.Count;
                while (nextQuarter < 4 && count >= total * nextQuarter / 4)
                {
                    progress.Add((count, new Dictionary<string, int>(arrivals)));
                    nextQuarter++;
                }

                if (allReceived is null && count >= total)
                {
                    allReceived = clock.Elapsed;
                }

                if (count >= total && await deliveries.NextDueAtAsync(CancellationToken.None) is null)
                {
                    break;
                }

                await Task.Delay(10);
            }

            var drained = clock.Elapsed;

            // Monotonic seconds (Linux: CLOCK_MONOTONIC, as perf stamps samples), to cut a whole-run profile to the drain: perf report --time A,B.
            Console.WriteLine($"  drain window {(Stopwatch.GetTimestamp() - clock.ElapsedTicks) / (double)Stopwatch.Frequency:0.000},{Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency:0.000}");
            var used = (ProcessCpu.Read() - cpu).Self;
            allocated = GC.GetTotalAllocatedBytes() - allocated;
            gen0 = GC.CollectionCount(0) - gen0;
            pause = GC.GetTotalPauseDuration() - pause;
            receiver.OnKey = null;

            // Fair share: at each quarter of the drain, every service should have had about that
            // fraction of its own deliveries; the worst service's fraction over the overall one.
            var worst = 1.0;
            foreach (var (count, seen) in progress)
            {
                var overall = count / (double)total;
                for (var s = 0; s < services; s++)
                {
                    var got = seen.GetValueOrDefault(s.ToString(CultureInfo.InvariantCulture));
                    worst = Math.Min(worst, got / (double)perRepository / overall);
                }
            }

            return new Result(allReceived ?? TimeSpan.MaxValue, drained, receiver.Count, peak, rssBefore, worst, queued, used, total - atStart, allocated, gen0, pause);
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    /// <summary>This process's resident set now, in MB (the host, the receiver and the load generator together).</summary>
    private static double Rss()
    {
        // statm's second field is resident pages; cheaper than Process.GetCurrentProcess every 10 ms.
        var resident = long.Parse(File.ReadAllText("/proc/self/statm").Split(' ')[1], CultureInfo.InvariantCulture);
        return resident * Environment.SystemPageSize / 1e6;
    }
}
