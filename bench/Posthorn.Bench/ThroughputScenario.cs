using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Posthorn.Core.Deliveries;
using Posthorn.Core.PostServices;
using Posthorn.Core.Pushes;

namespace Posthorn.Bench;

/// <summary>
/// Scenario 2: N deliveries queued in storage before the host starts, then drained by the durable
/// dispatcher (claim, send, record the attempt, settle), against a bare HttpClient loop posting the
/// same bodies to the same receiver with the same concurrency.
/// </summary>
public static class ThroughputScenario
{
    public const string Method =
        "N deliveries are queued through the store (`RecordPushAsync`: pushes on one repository with 50 active bitbucket-post " +
        "services all pointing at the loopback receiver; one delivery per service per push, payload ≈ 1.5 KB) before the real host " +
        "starts; the clock runs from host start until the store reports nothing pending (every attempt recorded and settled). " +
        "Concurrency: Delivery:MaxConcurrency (default 64). Baseline: a bare HttpClient (SocketsHttpHandler) loop with the same " +
        "concurrency posting the same form-encoded bodies to the same receiver, N requests, no storage. Both are warmed up first " +
        "in the same process (the bare loop with 2,000 requests, the durable path with a 2,000-delivery drain on a throwaway host), " +
        "so neither figure includes JIT compilation.";

    private const int Services = 50;

    public static async Task<IReadOnlyList<Figure>> RunAsync(string work, bool quick)
    {
        var n = quick ? 5_000 : 20_000;
        const int concurrency = 64;
        await using var receiver = await Receiver.StartAsync();
        var payload = SamplePayload();

        // Baseline first (also warms the receiver).
        var body = Encoding.UTF8.GetBytes("payload=" + Uri.EscapeDataString(payload));
        await BareLoopAsync(receiver.Url, body, concurrency, Math.Min(2_000, n));
        receiver.Reset();
        var bare = await BareLoopAsync(receiver.Url, body, concurrency, n);
        var bareRate = n / bare.TotalSeconds;
        Console.WriteLine($"  bare HttpClient loop: {n} POSTs in {bare.TotalSeconds:0.00} s = {bareRate:0}/s");

        // The durable path gets the same warm-up: a throwaway host drains a small queue first, so the
        // measured host runs JIT-compiled code as the baseline's second loop does.
        await DrainAsync(Path.Combine(work, "throughput-warmup"), receiver, payload, concurrency, Math.Min(2_000, n));
        var (allReceived, drained) = await DrainAsync(Path.Combine(work, "throughput-data"), receiver, payload, concurrency, n);
        var rate = n / drained.TotalSeconds;
        var note = $"{n} deliveries: all POSTs received after {allReceived?.TotalSeconds ?? double.NaN:0.00} s, all settled after {drained.TotalSeconds:0.00} s " +
            $"(receiver saw {receiver.Count}); bare loop {bare.TotalSeconds:0.00} s; concurrency {concurrency}";
        Console.WriteLine($"  {note}");
        return
        [
            new("durable deliveries/s (SQLite)", rate, "deliveries/s", bareRate, "≥ 5,000/s and ≥ 50% of the bare loop", rate >= 5_000 && rate / bareRate >= 0.5, note),
        ];
    }

    /// <summary>Queues <paramref name="n"/> deliveries on a fresh host, starts it, and times the drain from start until every attempt is settled.</summary>
    private static async Task<(TimeSpan? AllReceived, TimeSpan Drained)> DrainAsync(string data, Receiver receiver, string payload, int concurrency, int n)
    {
        var server = await BenchServer.StartAsync(data, new Dictionary<string, string>
        {
            ["Delivery:MaxConcurrency"] = concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, start: false);
        await using (server)
        {
            await server.WithUserAsync();
            var repository = await server.CreateRepositoryAsync("throughput");
            for (var s = 0; s < Services; s++)
            {
                await server.AddServiceAsync(repository.Id, receiver.Url, PayloadFormat.BitbucketPost);
            }

            var pushes = server.Services.GetRequiredService<IPushStore>();
            var queueing = Stopwatch.StartNew();
            for (var p = 0; p < n / Services; p++)
            {
                var update = new RefUpdate("refs/heads/main", p.ToString("x40", System.Globalization.CultureInfo.InvariantCulture), (p + 1).ToString("x40", System.Globalization.CultureInfo.InvariantCulture));
                await pushes.RecordPushAsync(new NewPush(repository.Id, "bench", DateTimeOffset.UtcNow, [update], 3, payload), CancellationToken.None);
            }

            Console.WriteLine($"  queued {n} deliveries in {queueing.Elapsed.TotalSeconds:0.0} s");
            receiver.Reset();
            var deliveries = server.Services.GetRequiredService<IDeliveryStore>();
            var clock = Stopwatch.StartNew();
            await server.StartHostAsync();
            TimeSpan? allReceived = null;
            while (clock.Elapsed < TimeSpan.FromMinutes(3))
            {
                if (allReceived is null && receiver.Count >= n)
                {
                    allReceived = clock.Elapsed;
                }

                if (receiver.Count >= n && await deliveries.NextDueAtAsync(CancellationToken.None) is null)
                {
                    break;
                }

                await Task.Delay(20);
            }

            return (allReceived, clock.Elapsed);
        }
    }

    private static async Task<TimeSpan> BareLoopAsync(string url, byte[] body, int concurrency, int n)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = int.MaxValue, AllowAutoRedirect = false, UseCookies = false });
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) < n)
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded") { CharSet = "utf-8" };
                using var response = await http.PostAsync(url, content);
                await response.Content.ReadAsByteArrayAsync();
                response.EnsureSuccessStatusCode();
            }
        })));
        return clock.Elapsed;
    }

    /// <summary>A three-commit payload shaped like the seed's.</summary>
    private static string SamplePayload()
    {
        var commits = string.Join(", ", Enumerable.Range(1, 3).Select(i =>
            $$"""{"node": "abcdef{{i:000000}}", "raw_node": "abcdef{{i:000000}}0123456789abcdef0123456789abcd", "parents": ["abcdef{{i - 1:000000}}"], "author": "marcus", "raw_author": "Marcus Bertrand <marcus@somedomain.com>", "branch": "featureA", "message": "Added some featureA things (change {{i}})\n", "files": [{"file": "somefile.py", "type": "modified"}, {"file": "docs/readme.md", "type": "added"}], "timestamp": "2024-03-0{{i}} 16:10:42", "utctimestamp": "2024-03-0{{i}} 15:10:42+00:00", "revision": null, "size": -1}"""));
        return $$"""{"canon_url": "http://127.0.0.1", "commits": [{{commits}}], "repository": {"absolute_url": "/bench/throughput/", "fork": false, "is_private": false, "name": "throughput", "owner": "bench", "scm": "git", "slug": "throughput", "website": ""}, "user": "bench"}""";
    }
}
