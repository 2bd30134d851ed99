using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Posthorn.Core.PostServices;

namespace Posthorn.Bench;

/// <summary>
/// Scenario 1: push → POST latency at a steady rate. Pushes are receive-pack requests over HTTP
/// from this process with pre-built packs (one new commit each), spread
/// round-robin over several repositories so that per-repository receive locks don't serialise the
/// whole stream. Latency = moment the receiver has read the POST body − moment the client has read
/// the whole receive-pack response ("push accepted"). Baseline: a bare HTTP POST of the same body
/// to the same receiver, round trip.
/// </summary>
public static partial class LatencyScenario
{
    private const int Repositories = 10;

    public const string Method =
        "The real Posthorn host in the benchmark process (SQLite, Kestrel on 127.0.0.1), one JSON POST service per repository " +
        "pointing at a Kestrel receiver on loopback. Pushes are git receive-pack requests over HTTP sent by the benchmark at a " +
        "steady 20/s for 32 s (first 20 are warm-up), each carrying a pre-built pack holding one new commit (written by `git fast-import` with a checkpoint after every commit), " +
        "round-robin over 10 repositories (each repository's pushes are sequential, as its receive lock requires). " +
        "Posthorn runs git receive-pack, diffs refs, builds the payload with git and records the push and its delivery before it answers. " +
        "Latency = receiver has read the whole POST body − client has read the whole receive-pack response (push accepted). " +
        "Baseline: round trip of a bare HttpClient POST of the same body to the same receiver.";

    public static async Task<IReadOnlyList<Figure>> RunAsync(string work, bool quick)
    {
        var rate = 20.0;
        var seconds = quick ? 6 : 32;
        var warmup = 20;
        var total = (int)(rate * seconds) + warmup;
        var perRepository = (total / Repositories) + 2;

        await using var receiver = await Receiver.StartAsync();
        await using var server = await (await BenchServer.StartAsync(Path.Combine(work, "latency-data"))).WithUserAsync();

        var arrivals = new ConcurrentDictionary<string, long>();
        byte[]? sampleBody = null;
        receiver.OnBody = (body, at) =>
        {
            sampleBody ??= body;
            var match = RawNode().Match(Encoding.UTF8.GetString(body));
            if (match.Success)
            {
                arrivals.TryAdd(match.Groups[1].Value, at);
            }
        };

        // Per repository: a chain of commits, the first pushed with stock git, then one pack per commit.
        var chains = new List<(string Slug, IReadOnlyList<string> Ids, byte[][] Packs)>();
        for (var r = 0; r < Repositories; r++)
        {
            var slug = $"latency{r}";
            var repository = await server.CreateRepositoryAsync(slug);
            var source = Path.Combine(work, $"latency-src{r}.git");
            var ids = await SyntheticRepo.CreateAsync(source, perRepository, files: 20, seed: r, packPerCommit: true);
            var byCommit = await SyntheticRepo.PacksByCommitAsync(source, ids);
            await Shell.GitAsync(source, "push", "-q", server.GitUrl(slug), $"{ids[0]}:refs/heads/main");
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
            chains.Add((slug, ids, packs));
        }

        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 64 });
        var auth = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"bench:{server.Token}")));
        var accepted = new ConcurrentDictionary<string, (long Started, long Accepted)>();
        var failures = 0;
        var clock = Stopwatch.StartNew();
        var interval = TimeSpan.FromSeconds(1 / rate);
        var window = TimeSpan.FromSeconds(total / rate) + TimeSpan.FromSeconds(2);

        Console.WriteLine($"  pushing {total} times at {rate}/s over {Repositories} repositories…");
        var cpuBefore = ProcessCpu.Read();
        var loops = Enumerable.Range(0, Repositories).Select(r => Task.Run(async () =>
        {
            var (slug, ids, packs) = chains[r];
            for (int k = 0, i = 1; (k * Repositories) + r < total && i < ids.Count; k++, i++)
            {
                var due = interval * ((k * Repositories) + r);
                if (clock.Elapsed > window)
                {
                    break; // the machine can't keep up: stop at the window's end, the achieved rate says so
                }

                var wait = due - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                }

                using var request = new HttpRequestMessage(HttpMethod.Post, $"{server.Url}/bench/{slug}.git/git-receive-pack")
                {
                    Content = new ByteArrayContent(ReceivePackRequest(ids[i - 1], ids[i], packs[i])),
                };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-git-receive-pack-request");
                request.Headers.Authorization = auth;
                var started = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request);
                var report = await response.Content.ReadAsStringAsync();
                var done = Stopwatch.GetTimestamp();
                if (!response.IsSuccessStatusCode || !report.Contains("ok refs/heads/main", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref failures);
                    continue;
                }

                if ((k * Repositories) + r >= warmup)
                {
                    accepted[ids[i]] = (started, done);
                }
            }
        })).ToList();
        await Task.WhenAll(loops);
        var pushSeconds = clock.Elapsed.TotalSeconds;
        var cpu = ProcessCpu.Read() - cpuBefore;
        var pushesSent = accepted.Count + failures + Math.Min(warmup, total);

        // Give the last deliveries a moment to land.
        var deadline = Stopwatch.StartNew();
        while (accepted.Keys.Any(id => !arrivals.ContainsKey(id)) && deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50);
        }

        var latencies = accepted.Where(a => arrivals.ContainsKey(a.Key))
            .Select(a => Stopwatch.GetElapsedTime(a.Value.Accepted, arrivals[a.Key]).TotalMilliseconds).Order().ToList();
        var fromStart = accepted.Where(a => arrivals.ContainsKey(a.Key))
            .Select(a => Stopwatch.GetElapsedTime(a.Value.Started, arrivals[a.Key]).TotalMilliseconds).Order().ToList();
        var pushDurations = accepted.Values.Select(a => Stopwatch.GetElapsedTime(a.Started, a.Accepted).TotalMilliseconds).Order().ToList();
        var early = latencies.Count(l => l < 0);
        var missing = accepted.Count - latencies.Count;

        // Baseline: a bare POST of a real payload body to the same receiver, same rate.
        var baseline = new List<double>();
        var body = sampleBody ?? Encoding.UTF8.GetBytes("{}");
        for (var i = 0; i < (quick ? 60 : 200); i++)
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            var started = Stopwatch.GetTimestamp();
            using var response = await http.PostAsync(receiver.Url, content);
            baseline.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            await Task.Delay(interval / 2);
        }

        baseline.Sort();
        var note = $"{accepted.Count} pushes measured in {pushSeconds:0.#} s (window {window.TotalSeconds:0} s), " +
            $"{failures} failed, {missing} POSTs missing, {early} POSTs arrived before the push response was read; " +
            $"push request itself p50 {Percentiles.Of(pushDurations, 50):0.#} ms, push start→POST p50 {Percentiles.Of(fromStart, 50):0.#} ms p99 {Percentiles.Of(fromStart, 99):0.#} ms; " +
            $"CPU per push: {cpu.Self.TotalMilliseconds / pushesSent:0.#} ms in this process (server, receiver and client), {cpu.Children.TotalMilliseconds / pushesSent:0.#} ms in git processes";
        Console.WriteLine($"  {note}");
        var measuredSpan = accepted.Count == 0 ? 1 : Stopwatch.GetElapsedTime(accepted.Values.Min(a => a.Started), accepted.Values.Max(a => a.Accepted)).TotalSeconds;
        var achieved = accepted.Count / measuredSpan;
        var p50 = Percentiles.Of(latencies, 50);
        var p95 = Percentiles.Of(latencies, 95);
        var p99 = Percentiles.Of(latencies, 99);
        return
        [
            new("pushes accepted/s (offered 20/s)", achieved, "pushes/s", rate, "holds the offered 20/s (≥ 19/s)", achieved >= rate * 0.95),
            new("push→POST latency p50", p50, "ms", Percentiles.Of(baseline, 50), "≤ 10 ms", p50 <= 10 && missing == 0, note),
            new("push→POST latency p95", p95, "ms", Percentiles.Of(baseline, 95), "reported (no bar)", true),
            new("push→POST latency p99", p99, "ms", Percentiles.Of(baseline, 99), "≤ 50 ms", p99 <= 50 && missing == 0),
        ];
    }

    /// <summary>A receive-pack request body: one pkt-line command, flush, then the pack.</summary>
    private static byte[] ReceivePackRequest(string oldId, string newId, byte[] pack)
    {
        var command = $"{oldId} {newId} refs/heads/main\0report-status agent=posthorn-bench\n";
        var line = $"{command.Length + 4:x4}{command}0000";
        return [.. Encoding.ASCII.GetBytes(line), .. pack];
    }

    [GeneratedRegex("\"raw_node\"\\s*:\\s*\"([0-9a-f]{40})\"")]
    private static partial Regex RawNode();
}
