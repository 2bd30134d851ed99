using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

namespace Posthorn.Bench;

/// <summary>
/// Scenario 2: deliveries queued in storage before the host starts, then drained by the durable
/// dispatcher (claim, send, record the attempt, settle), against a bare HttpClient loop posting the
/// same bodies to the same receiver with the same concurrency: on SQLite, on PostgreSQL with one node
/// and with two nodes on the same database, and at 10× and 100× the payload size.
/// </summary>
public static class ThroughputScenario
{
    public const string Method =
        "N deliveries are queued through the store (`RecordPushAsync`: pushes side by side over 10 owners' repositories, each with 5 " +
        "active bitbucket-post services pointing at the loopback receiver; one delivery per service per push, payload ≈ 1.5 KB, " +
        "form-encoded ≈ 2.2 KB) before the real host starts; the clock runs from the first POST received (the host's start-up is not counted; the " +
        "deliveries already received then are left out of the count) until the receiver has every POST and the store reports nothing pending (every attempt recorded and settled, in the same transaction as the attempt row). Default " +
        "delivery options (MaxConcurrency 64, MaxInFlightPerService 4, MaxInFlightPerOwner 16: ten owners are needed for one node to " +
        "use its 64 slots at all). Baseline: a bare HttpClient (SocketsHttpHandler) loop with concurrency 64 posting the same " +
        "form-encoded bodies to the same receiver, N requests, no storage. Both are warmed up first in the same process (the bare " +
        "loop with 2,000 requests, the durable path with a 2,000-delivery drain on a throwaway host), so neither figure includes JIT " +
        "compilation. PostgreSQL: a throwaway local cluster (`scripts/pg-temp`, started by `bench/run`), a fresh database per drain; " +
        "two nodes are two hosts in the process with their own node ids, both started at once. Growth: the same drain with the " +
        "payload padded to 10× and 100× its size (a longer commit message), N/4 deliveries; the figure is time per delivery over " +
        "the 1× time per delivery (≤ the size ratio is linear or better).";

    private const int Owners = 10;
    private const int ServicesPerOwner = 5;
    private const int Concurrency = 64;

    public static async Task<IReadOnlyList<Figure>> RunAsync(string work, bool quick)
    {
        var n = quick ? 5_000 : 20_000;
        await using var receiver = await Receiver.StartAsync();
        var payload = SamplePayload(1);
        var figures = new List<Figure>();

        // Baseline first (also warms the receiver).
        var body = FormBody(payload);
        await BareLoopAsync(receiver.Url, body, Math.Min(2_000, n));
        var cpu = ProcessCpu.Read();
        var allocated = GC.GetTotalAllocatedBytes();
        var pause = GC.GetTotalPauseDuration();
        var bare = await BareLoopAsync(receiver.Url, body, n);
        var bareCpu = (ProcessCpu.Read() - cpu).Self;
        allocated = GC.GetTotalAllocatedBytes() - allocated;
        pause = GC.GetTotalPauseDuration() - pause;
        var bareRate = n / bare.TotalSeconds;
        Console.WriteLine($"  bare HttpClient loop: {n} POSTs in {bare.TotalSeconds:0.00} s = {bareRate:0}/s, {bareCpu.TotalMicroseconds / n:0} µs CPU and {allocated / 1024.0 / n:0.0} KB allocated each, {bareCpu / bare:0.00} cores busy, paused {pause.TotalMilliseconds:0} ms by the collector");

        // The durable path gets the same warm-up: a throwaway host drains a small queue first, so the
        // measured host runs JIT-compiled code as the baseline's second loop does.
        await DeliveryDrain.RunAsync(Path.Combine(work, "throughput-warmup"), receiver, Shape(Math.Min(2_000, n), payload));
        var sqlite = await DeliveryDrain.RunAsync(Path.Combine(work, "throughput-sqlite"), receiver, Shape(n, payload));
        var rate = sqlite.Measured / sqlite.Drained.TotalSeconds;
        figures.Add(new("durable deliveries/s (SQLite)", rate, "deliveries/s", bareRate, "≥ 10,000/s and ≥ 50% of the bare loop",
            rate >= 10_000 && rate / bareRate >= 0.5, Describe(n, sqlite, bare)));

        // CPU per delivery does not depend on what else the shared machine is doing: the steadier figure.
        figures.Add(new("CPU per durable delivery (SQLite)", sqlite.Cpu.TotalMicroseconds / sqlite.Measured, "µs", bareCpu.TotalMicroseconds / n,
            "reported: CPU of the whole process (host, receiver, load) per delivery, against the bare loop's per POST", true));

        if (BenchPostgres.ConnectionString is { } postgres)
        {
            foreach (var nodes in new[] { 1, 2 })
            {
                var database = await BenchPostgres.FreshDatabaseAsync(postgres);
                var result = await DeliveryDrain.RunAsync(Path.Combine(work, $"throughput-pg{nodes}"), receiver, Shape(n, payload) with { Database = database, Nodes = nodes });
                var pgRate = result.Measured / result.Drained.TotalSeconds;
                figures.Add(new($"durable deliveries/s (PostgreSQL, {nodes} node{(nodes == 1 ? "" : "s")})", pgRate, "deliveries/s", bareRate,
                    "reported (no bar)", true, Describe(n, result, bare)));
            }
        }
        else
        {
            Console.WriteLine("  PostgreSQL figures skipped: POSTHORN_BENCH_POSTGRES is not set (bench/run starts a throwaway cluster)");
        }

        // Growth: the same path with bigger payloads, each against the 1× figure measured just before.
        var small = n / 4;
        var perDelivery1 = await PerDeliveryAsync(work, receiver, small, 1);
        foreach (var factor in new[] { 10, 100 })
        {
            var perDelivery = await PerDeliveryAsync(work, receiver, small, factor);
            figures.Add(new($"delivery time per POST, payload {factor}× (≈ {FormBody(SamplePayload(factor)).Length / 1024.0:0} KB)", perDelivery, "ms", perDelivery1,
                $"≤ {factor}× the 1× time (linear or better)", perDelivery / perDelivery1 <= factor, $"{small} deliveries each; 1× {perDelivery1:0.000} ms per delivery"));
        }

        return figures;
    }

    private static async Task<double> PerDeliveryAsync(string work, Receiver receiver, int n, int factor)
    {
        var result = await DeliveryDrain.RunAsync(Path.Combine(work, $"throughput-growth{factor}"), receiver, Shape(n, SamplePayload(factor)));
        Console.WriteLine($"  payload {factor}×: {n} deliveries settled in {result.Drained.TotalSeconds:0.00} s");
        return result.Drained.TotalMilliseconds / result.Measured;
    }

    private static DeliveryDrain.Shape Shape(int n, string payload) => new(n, Owners, ServicesPerOwner, payload, Concurrency: Concurrency);

    private static string Describe(int n, DeliveryDrain.Result result, TimeSpan bare)
    {
        var note = $"{n} deliveries (queued in {result.Queued.TotalSeconds:0.0} s): all POSTs received after {result.AllReceived.TotalSeconds:0.00} s, " +
            $"all settled after {result.Drained.TotalSeconds:0.00} s from the first POST ({result.Measured} deliveries in that window; receiver saw {result.Received}); bare loop {bare.TotalSeconds:0.00} s; concurrency {Concurrency}; process CPU {result.Cpu.TotalMicroseconds / result.Measured:0} µs and {result.Allocated / 1024.0 / result.Measured:0.0} KB allocated per delivery ({result.Gen0} gen-0 collections, {result.GcPause.TotalMilliseconds:0} ms paused), {result.Cpu / result.Drained:0.00} cores busy";
        Console.WriteLine($"  {note}");
        return note;
    }

    private static byte[] FormBody(string payload) => Encoding.ASCII.GetBytes("payload=" + Uri.EscapeDataString(payload).Replace("%20", "+", StringComparison.Ordinal));

    private static async Task<TimeSpan> BareLoopAsync(string url, byte[] body, int n)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = int.MaxValue, AllowAutoRedirect = false, UseCookies = false });
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < n)
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
                using var response = await http.PostAsync($"{url}/{i % (Owners * ServicesPerOwner)}", content);
                await response.Content.ReadAsByteArrayAsync();
                response.EnsureSuccessStatusCode();
            }
        })));
        return clock.Elapsed;
    }

    /// <summary>A three-commit payload shaped like the seed's; <paramref name="factor"/> pads the commit messages to that many times its size.</summary>
    public static string SamplePayload(int factor)
    {
        var padding = factor <= 1 ? "" : new string('x', ((factor - 1) * 1_500) / 3);
        var commits = string.Join(", ", Enumerable.Range(1, 3).Select(i =>
            $$"""{"node": "abcdef{{i:000000}}", "raw_node": "abcdef{{i:000000}}0123456789abcdef0123456789abcd", "parents": ["abcdef{{i - 1:000000}}"], "author": "marcus", "raw_author": "Marcus Bertrand <marcus@somedomain.com>", "branch": "featureA", "message": "Added some featureA things (change {{i}}){{padding}}\n", "files": [{"file": "somefile.py", "type": "modified"}, {"file": "docs/readme.md", "type": "added"}], "timestamp": "2024-03-0{{i}} 16:10:42", "utctimestamp": "2024-03-0{{i}} 15:10:42+00:00", "revision": null, "size": -1}"""));
        return $$"""{"canon_url": "http://127.0.0.1", "commits": [{{commits}}], "repository": {"absolute_url": "/bench/throughput/", "fork": false, "is_private": false, "name": "throughput", "owner": "bench", "scm": "git", "slug": "throughput", "website": ""}, "user": "bench"}""";
    }
}
