using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Posthorn.Core.Payloads;
using Posthorn.Core.Pushes;

namespace Posthorn.Bench;

/// <summary>
/// Scenario 3: the push payload for first pushes of 1,000, 10,000 and 100,000 commits, built by
/// the registered <see cref="IPushPayloadBuilder"/>; wall time (median of 3) and the peak growth
/// of the managed heap while building, sampled every millisecond.
/// </summary>
public static class PayloadScenario
{
    public const string Method =
        "Synthetic bare repositories made with `git fast-import` (one linear branch; each commit changes one of 100 small files). " +
        "The payload of a push creating refs/heads/main with all N commits new is built by Posthorn's registered IPushPayloadBuilder " +
        "(default Payload:MaxCommits = 200, so the newest 200 are listed and the true count is stated) — median wall time of 3 builds. " +
        "Memory: peak managed-heap growth over the heap just before the build, sampled every millisecond (git's own processes stream and are not counted). " +
        "Baseline for time: `git rev-list --count main` on the same repository (the history walk any builder has to do). " +
        "Baseline for memory: the 1,000-commit peak; \"flat\" means the larger pushes stay within 2× of it (or +8 MB, whichever is larger).";

    public static async Task<IReadOnlyList<Figure>> RunAsync(string work, bool quick)
    {
        int[] sizes = quick ? [1_000, 10_000] : [1_000, 10_000, 100_000];
        await using var server = await (await BenchServer.StartAsync(Path.Combine(work, "payload-data"), start: false)).WithUserAsync();
        var builder = server.Services.GetRequiredService<IPushPayloadBuilder>();
        var repository = await server.CreateRepositoryAsync("payload");
        var results = new List<(int Size, double Seconds, double BaselineSeconds, double PeakMb, int Bytes)>();
        foreach (var size in sizes)
        {
            var gitDirectory = Path.Combine(work, $"payload-{size}.git");
            var making = Stopwatch.StartNew();
            var ids = await SyntheticRepo.CreateAsync(gitDirectory, size);
            Console.WriteLine($"  made {size} commits with git fast-import in {making.Elapsed.TotalSeconds:0.0} s");
            var request = new PayloadRequest(repository, gitDirectory, "bench", [new RefUpdate("refs/heads/main", RefUpdate.ZeroId, ids[^1])], [], "http://127.0.0.1");
            await builder.BuildAsync(request, CancellationToken.None); // warm-up (JIT, page cache)

            var times = new List<double>();
            var peaks = new List<double>();
            var bytes = 0;
            for (var run = 0; run < 3; run++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                var before = GC.GetTotalMemory(false);
                var peak = before;
                using var stop = new CancellationTokenSource();
                var sampler = Task.Run(async () =>
                {
                    while (!stop.IsCancellationRequested)
                    {
                        peak = Math.Max(peak, GC.GetTotalMemory(false));
                        await Task.Delay(1);
                    }
                });
                var clock = Stopwatch.StartNew();
                var built = await builder.BuildAsync(request, CancellationToken.None);
                times.Add(clock.Elapsed.TotalSeconds);
                peak = Math.Max(peak, GC.GetTotalMemory(false));
                await stop.CancelAsync();
                await sampler;
                peaks.Add((peak - before) / 1024.0 / 1024.0);
                bytes = built.Json.Length;
                if (built.CommitCount != size)
                {
                    throw new InvalidOperationException($"payload counted {built.CommitCount} commits, expected {size}");
                }
            }

            var baseline = new List<double>();
            for (var run = 0; run < 3; run++)
            {
                baseline.Add(await Shell.TimeGitAsync(gitDirectory, null, "rev-list", "--count", "main"));
            }

            results.Add((size, Percentiles.Median(times), Percentiles.Median(baseline), peaks.Max(), bytes));
            Console.WriteLine($"  {size} commits: payload {Percentiles.Median(times) * 1000:0} ms, peak heap +{peaks.Max():0.0} MB, {bytes} chars; git rev-list --count {Percentiles.Median(baseline) * 1000:0} ms");
        }

        var figures = new List<Figure>();
        var smallest = results[0].PeakMb;
        for (var i = 0; i < results.Count; i++)
        {
            var (size, seconds, baselineSeconds, peakMb, bytes) = results[i];
            var growth = i == 0 ? "" : $"; ×{seconds / results[i - 1].Seconds:0.0} time and ×{peakMb / Math.Max(results[i - 1].PeakMb, 0.01):0.0} peak heap vs {results[i - 1].Size:N0} commits ({size / results[i - 1].Size}× the commits)";
            var note = $"payload {bytes:N0} characters (200 commits listed){growth}";
            figures.Add(new($"payload build, {size:N0} commits", seconds * 1000, "ms", baselineSeconds * 1000,
                size == 10_000 ? "≤ 1,000 ms" : "reported (growth)", size != 10_000 || seconds <= 1.0, note));
        }

        foreach (var (size, _, _, peakMb, _) in results)
        {
            var flat = peakMb <= Math.Max(2 * smallest, smallest + 8);
            figures.Add(new($"payload peak heap growth, {size:N0} commits", peakMb, "MB", smallest, "flat: ≤ max(2×, +8 MB) of the 1,000-commit peak", flat));
        }

        return figures;
    }
}
