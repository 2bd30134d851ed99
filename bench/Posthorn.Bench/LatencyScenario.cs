using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Posthorn.Core.PostServices;

namespace Posthorn.Bench;

/// <summary>
/// Scenario 1: pushes as a user feels them. Latency at a steady 20 pushes/s: push start → POST
/// received through Posthorn against push start → answer through stock `git http-backend` (no POST
/// service) at the same rate, phases alternating between the two; and capacity, the highest rate
/// each server sustains with every repository pushing back to back. Pushes are receive-pack requests
/// with pre-built packs (one new commit each) round-robin over several repositories.
/// </summary>
public static class LatencyScenario
{
    private const int Repositories = 10;
    private const double Rate = 20.0;

    // Prepared commits per repository cover this many pushes/s in every capacity phase of either server:
    // a phase that runs out of commits stops early, and one that finds none left measures nothing.
    private const int CapacityCeiling = 200;

    public const string Method =
        "The real Posthorn host in the benchmark process (SQLite, Kestrel on 127.0.0.1), one JSON POST service per repository " +
        "pointing at a Kestrel receiver on loopback; the baseline is stock `git http-backend` run per request by a minimal Kestrel " +
        "CGI host in the same process, on its own copies of the same repositories, no POST service. Pushes are git receive-pack " +
        "requests over HTTP sent by the benchmark, each carrying a pre-built pack holding one new commit (written by `git fast-import` " +
        "with a checkpoint after every commit), round-robin over 10 repositories (each repository's pushes are sequential, as its " +
        "receive lock requires); both servers get the same packs. Latency: 20 pushes/s offered, in four alternating phases " +
        "(Posthorn, http-backend, Posthorn, http-backend; 16 s each, after 20 warm-up pushes to each): push start → the receiver " +
        "has read the whole POST body, against push start → the client has read http-backend's whole answer. Posthorn runs git " +
        "receive-pack, diffs refs, builds the payload with git and records the push and its delivery before it answers; the POST " +
        "goes out after. Accepted → received: client has read Posthorn's answer → receiver has read the POST (baseline: round " +
        "trip of a bare HttpClient POST of the same body). Capacity: every repository pushes back to back (10 pushes in flight), " +
        "four alternating phases of 8 s (each repository has prepared commits for 200 pushes/s in every phase of both servers); " +
        "accepted pushes per second from the first start to the last answer, per server, with each server's CPU per push over its capacity phases. CPU per push (the process's own and its " +
        "reaped git children's, from /proc/self/stat) is measured over the latency phases of each server.";

    public static async Task<IReadOnlyList<Figure>> RunAsync(string work, bool quick)
    {
        var seconds = quick ? 6 : 32;
        var capacitySeconds = quick ? 3 : 8;
        const int warmup = 20;
        var latencyPushes = (int)(Rate * seconds);
        var perRepository = ((warmup + latencyPushes) / Repositories) + 10 + (2 * capacitySeconds * CapacityCeiling / Repositories);

        await using var receiver = await Receiver.StartAsync();
        // Every simulated pusher shares 127.0.0.1, as clients behind a reverse proxy share its address: the per-client
        // cap on git processes (8 by default) would hold 2 of the 10 repositories' pushes in line, so it is raised to the
        // global cap, as the options advise behind a proxy. The global cap (32) still applies.
        var perClient = new Dictionary<string, string> { ["Git:MaxProcessesPerClient"] = "32" };
        await using var server = await (await BenchServer.StartAsync(Path.Combine(work, "latency-data"), perClient)).WithUserAsync();
        var cgiRoot = Path.Combine(work, "latency-cgi");
        await using var cgi = await CgiGitHost.StartAsync(cgiRoot);

        var arrivals = new CommitArrivals();
        byte[]? sampleBody = null;
        receiver.OnBody = (body, at) =>
        {
            sampleBody ??= body;
            arrivals.Add(body, at);
        };

        // Per repository: a chain of commits, the first pushed with stock git to both servers, then one pack per commit.
        var chains = new List<PushStream.Chain>();
        for (var r = 0; r < Repositories; r++)
        {
            var slug = $"latency{r}";
            var repository = await server.CreateRepositoryAsync(slug);
            var source = Path.Combine(work, $"latency-src{r}.git");
            var ids = await SyntheticRepo.CreateAsync(source, perRepository, files: 20, seed: r, packPerCommit: true);
            var byCommit = await SyntheticRepo.PacksByCommitAsync(source, ids);
            await Shell.GitAsync(source, "push", "-q", server.GitUrl(slug), $"{ids[0]}:refs/heads/main");
            var copy = Path.Combine(cgiRoot, "bench", $"{slug}.git");
            await Shell.GitAsync(null, "init", "-q", "--bare", copy);
            await Shell.GitAsync(source, "push", "-q", copy, $"{ids[0]}:refs/heads/main");
            await server.AddServiceAsync(repository.Id, receiver.Url, PayloadFormat.Json);
            var packs = new byte[ids.Count][];
            for (var i = 1; i < ids.Count; i++)
            {
                // fast-import may fold a commit into the next checkpoint's pack: build that one with git.
                packs[i] = byCommit.TryGetValue(ids[i], out var pack) && byCommit.Count(p => ReferenceEquals(p.Value, pack)) == 1
                    ? pack
                    : await Shell.RunBytesAsync("git", ["pack-objects", "--stdout", "--revs", "-q"], source,
                        stdin: s => s.WriteAsync(Encoding.ASCII.GetBytes($"{ids[i]}\n^{ids[i - 1]}\n")).AsTask());
            }

            chains.Add(new PushStream.Chain(slug, ids, packs));
        }

        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 64 });
        var auth = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"bench:{server.Token}")));
        var posthorn = new PushStream(http, server.Url, auth, chains);
        var backend = new PushStream(http, cgi.Url, null, chains);

        Console.WriteLine($"  pushing at {Rate}/s over {Repositories} repositories, alternating Posthorn and git http-backend…");
        await posthorn.RunAsync(Rate, warmup, TimeSpan.Zero);
        await backend.RunAsync(Rate, warmup, TimeSpan.Zero);
        // Bytes allocated and gen-2 collections in this process, per server's phases: steadier than CPU under load.
        var cpuBefore = ProcessCpu.Read();
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        var gen2Before = GC.CollectionCount(2);
        var accepted = await posthorn.RunAsync(Rate, latencyPushes / 2, TimeSpan.Zero);
        var cpu = ProcessCpu.Read() - cpuBefore;
        var allocated = GC.GetTotalAllocatedBytes() - allocatedBefore;
        var gen2 = GC.CollectionCount(2) - gen2Before;
        cpuBefore = ProcessCpu.Read();
        allocatedBefore = GC.GetTotalAllocatedBytes();
        var baselinePushes = await backend.RunAsync(Rate, latencyPushes / 2, TimeSpan.Zero);
        var backendCpu = ProcessCpu.Read() - cpuBefore;
        var backendAllocated = GC.GetTotalAllocatedBytes() - allocatedBefore;
        cpuBefore = ProcessCpu.Read();
        allocatedBefore = GC.GetTotalAllocatedBytes();
        gen2Before = GC.CollectionCount(2);
        var second = await posthorn.RunAsync(Rate, latencyPushes / 2, TimeSpan.Zero);
        cpu = Sum(cpu, ProcessCpu.Read() - cpuBefore);
        allocated += GC.GetTotalAllocatedBytes() - allocatedBefore;
        gen2 += GC.CollectionCount(2) - gen2Before;
        cpuBefore = ProcessCpu.Read();
        allocatedBefore = GC.GetTotalAllocatedBytes();
        var baselineSecond = await backend.RunAsync(Rate, latencyPushes / 2, TimeSpan.Zero);
        backendCpu = Sum(backendCpu, ProcessCpu.Read() - cpuBefore);
        backendAllocated += GC.GetTotalAllocatedBytes() - allocatedBefore;
        var achieved = (PushStream.Rate(accepted) + PushStream.Rate(second)) / 2;
        var achievedBackend = (PushStream.Rate(baselinePushes) + PushStream.Rate(baselineSecond)) / 2;
        accepted.AddRange(second);
        baselinePushes.AddRange(baselineSecond);

        // Give the last deliveries a moment to land.
        var deadline = Stopwatch.StartNew();
        while (accepted.Any(a => !arrivals.ContainsKey(a.Commit)) && deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50);
        }

        var delivered = accepted.Where(a => arrivals.ContainsKey(a.Commit)).ToList();
        var latencies = delivered.Select(a => Stopwatch.GetElapsedTime(a.Done, arrivals[a.Commit]).TotalMilliseconds).Order().ToList();
        var fromStart = delivered.Select(a => Stopwatch.GetElapsedTime(a.Started, arrivals[a.Commit]).TotalMilliseconds).Order().ToList();
        var pushDurations = accepted.Select(a => Stopwatch.GetElapsedTime(a.Started, a.Done).TotalMilliseconds).Order().ToList();
        var backendDurations = baselinePushes.Select(a => Stopwatch.GetElapsedTime(a.Started, a.Done).TotalMilliseconds).Order().ToList();
        var early = latencies.Count(l => l < 0);
        var missing = accepted.Count - latencies.Count;

        // Baseline for accepted → received: a bare POST of a real payload body to the same receiver.
        var bare = new List<double>();
        var body = sampleBody ?? Encoding.UTF8.GetBytes("{}");
        for (var i = 0; i < (quick ? 40 : 100); i++)
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            var started = Stopwatch.GetTimestamp();
            using var response = await http.PostAsync(receiver.Url, content);
            bare.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            await Task.Delay(TimeSpan.FromSeconds(1 / Rate));
        }

        bare.Sort();

        // Capacity: back to back, alternating.
        Console.WriteLine("  capacity: every repository pushing back to back, alternating…");
        var capacity = TimeSpan.FromSeconds(capacitySeconds);
        var most = new List<double>();
        var mostBackend = new List<double>();
        // CPU per push while saturated: with both cores busy, capacity is about the inverse of it.
        var (capacityCpu, capacityPushes, backendCapacityCpu, backendCapacityPushes) = (default(ProcessCpu), 0, default(ProcessCpu), 0);
        for (var round = 0; round < 2; round++)
        {
            cpuBefore = ProcessCpu.Read();
            var phase = await posthorn.RunAsync(0, int.MaxValue, capacity);
            capacityCpu = Sum(capacityCpu, ProcessCpu.Read() - cpuBefore);
            capacityPushes += phase.Count;
            most.Add(PushStream.Rate(phase));
            cpuBefore = ProcessCpu.Read();
            var backendPhase = await backend.RunAsync(0, int.MaxValue, capacity);
            backendCapacityCpu = Sum(backendCapacityCpu, ProcessCpu.Read() - cpuBefore);
            backendCapacityPushes += backendPhase.Count;
            mostBackend.Add(PushStream.Rate(backendPhase));
        }

        var pushesSent = accepted.Count + posthorn.Failures;
        var backendSent = Math.Max(1, baselinePushes.Count + backend.Failures);
        var note = $"{accepted.Count} pushes to Posthorn and {baselinePushes.Count} to http-backend measured, {posthorn.Failures} + {backend.Failures} failed, " +
            $"{missing} POSTs missing, {early} POSTs arrived before the push response was read; Posthorn push request p50 " +
            $"{Percentiles.Of(pushDurations, 50):0.#} ms, http-backend {Percentiles.Of(backendDurations, 50):0.#} ms; accepted → received p50 " +
            $"{Percentiles.Of(latencies, 50):0.#} ms; CPU per Posthorn push: {cpu.Self.TotalMilliseconds / Math.Max(1, pushesSent):0.#} ms in this process " +
            $"(server, receiver, client and the CGI host idle), {cpu.Children.TotalMilliseconds / Math.Max(1, pushesSent):0.#} ms in git processes; " +
            $"per http-backend push: {backendCpu.Self.TotalMilliseconds / backendSent:0.#} ms in this process (CGI host and client), " +
            $"{backendCpu.Children.TotalMilliseconds / backendSent:0.#} ms in git processes; allocated per push: Posthorn " +
            $"{allocated / 1024.0 / Math.Max(1, pushesSent):0} KB ({gen2} gen-2 collections), http-backend {backendAllocated / 1024.0 / backendSent:0} KB";
        Console.WriteLine($"  {note}");
        var capacityNote = $"Posthorn {string.Join(" / ", most.Select(m => m.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)))} pushes/s, " +
            $"http-backend {string.Join(" / ", mostBackend.Select(m => m.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)))} pushes/s over {capacitySeconds} s phases; " +
            $"CPU per push while saturated: Posthorn {PerPush(capacityCpu.Self, capacityPushes)} + {PerPush(capacityCpu.Children, capacityPushes)} ms, " +
            $"http-backend {PerPush(backendCapacityCpu.Self, backendCapacityPushes)} + {PerPush(backendCapacityCpu.Children, backendCapacityPushes)} ms (this process + git processes)";
        Console.WriteLine($"  {capacityNote}");
        var p50 = Percentiles.Of(fromStart, 50);
        var backendP50 = Percentiles.Of(backendDurations, 50);
        var p99 = Percentiles.Of(latencies, 99);
        return
        [
            new("pushes accepted/s (offered 20/s)", achieved, "pushes/s", achievedBackend, "holds the offered 20/s (≥ 19/s)", achieved >= Rate * 0.95),
            new("push start→POST received p50 (20 pushes/s)", p50, "ms", backendP50, "≤ 1.2× push start→answer through git http-backend", p50 <= 1.2 * backendP50 && missing == 0, note),
            new("push start→POST received p99 (20 pushes/s)", Percentiles.Of(fromStart, 99), "ms", Percentiles.Of(backendDurations, 99), "reported (no bar)", true),
            new("push accepted→POST received p99", p99, "ms", Percentiles.Of(bare, 99), "≤ 50 ms", p99 <= 50 && missing == 0),
            new("push capacity (pushes/s, back to back)", Ran(most), "pushes/s", Ran(mostBackend), "≥ 0.8× git http-backend", Ran(most) >= 0.8 * Ran(mostBackend), capacityNote),
        ];
    }

    private static string PerPush(TimeSpan cpu, int pushes) =>
        (cpu.TotalMilliseconds / Math.Max(1, pushes)).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);

    private static ProcessCpu Sum(ProcessCpu a, ProcessCpu b) => new(a.Self + b.Self, a.Children + b.Children);

    /// <summary>
    /// The mean rate of the phases that pushed at all: a phase that found its repositories' prepared
    /// commits used up by a faster earlier phase pushes nothing, and averaging its 0 in halved the baseline.
    /// </summary>
    private static double Ran(List<double> rates) => rates.Where(r => r > 0).DefaultIfEmpty(0).Average();
}
