using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Posthorn.Core.PostServices;
using Posthorn.Core.Repositories;
using Posthorn.Web.Repositories;

namespace Posthorn.Bench;

/// <summary>
/// Scenario 6: Mercurial pushes as a user feels them. The real hg client pushes one new changeset at a
/// time to a Posthorn Mercurial repository with a JSON POST service, alternating with the same kind of
/// push to Mercurial's own server (`hg serve`, no POST service) on its own repository.
/// </summary>
public static class MercurialScenario
{
    public const string Method =
        "The real Posthorn host in the benchmark process (SQLite, Kestrel on 127.0.0.1) with one Mercurial repository and one JSON " +
        "POST service pointing at a Kestrel receiver on loopback; the baseline is Mercurial's own server (`hg serve` on loopback, " +
        "push allowed, no POST service) on its own repository. Each round commits one changeset in each of two local clones (not " +
        "timed) and runs `hg push` to Posthorn, then to hg serve, one after the other (pushes are sequential: one repository). " +
        "Push start → POST received: `hg push` started → the receiver has read the POST naming the new changeset, against the " +
        "whole `hg push` to hg serve. Accepted → received: Posthorn finished answering hg's `unbundle` request (ASP.NET Core's " +
        "request-stop event in the same process) → the receiver has read the POST; the bar is the one for git pushes.";

    private static readonly Dictionary<string, string> NoSettings = [];

    public static async Task<IReadOnlyList<Figure>> RunAsync(string work, bool quick)
    {
        var rounds = quick ? 6 : 20;
        const int warmup = 2;
        var home = Path.Combine(work, "hg-home");
        Directory.CreateDirectory(home);
        var hgrc = Path.Combine(home, "hgrc");
        await File.WriteAllTextAsync(hgrc, "[ui]\nusername = Bench <bench@example.com>\ninteractive = false\n");
        var env = new Dictionary<string, string> { ["HGRCPATH"] = hgrc, ["HGPLAIN"] = "1", ["HGENCODING"] = "utf-8", ["HOME"] = home };
        try
        {
            await Shell.RunAsync("hg", ["version", "-q"], work, env);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return [new Figure("Mercurial push start→POST received p50", double.NaN, "ms", double.NaN, "reported", false, "hg is not installed (Debian's mercurial package)")];
        }

        await using var receiver = await Receiver.StartAsync();
        await using var server = await (await BenchServer.StartAsync(Path.Combine(work, "hg-data"))).WithUserAsync();
        var repository = await server.Services.GetRequiredService<RepositoryCatalog>()
            .CreateAsync("bench", "hgbench", null, isPrivate: false, null, CancellationToken.None, scm: Scms.Mercurial);
        await server.AddServiceAsync(repository.Id, receiver.Url, PayloadFormat.Json);
        var arrivals = new CommitArrivals();
        receiver.OnBody = arrivals.Add;

        var baselineRepository = Path.Combine(work, "hg-serve");
        await Shell.RunAsync("hg", ["init", baselineRepository], work, env);
        var port = FreePort();
        using var hgServe = StartHgServe(baselineRepository, port, env);
        await WaitForAsync($"http://127.0.0.1:{port}/");

        var posthornUrl = server.Url.Replace("http://", $"http://bench:{server.Token}@", StringComparison.Ordinal) + "/bench/hgbench";
        var baselineUrl = $"http://127.0.0.1:{port}/";
        var posthornClone = Path.Combine(work, "hg-clone-posthorn");
        var baselineClone = Path.Combine(work, "hg-clone-serve");
        await Shell.RunAsync("hg", ["clone", "-q", posthornUrl, posthornClone], work, env);
        await Shell.RunAsync("hg", ["clone", "-q", baselineUrl, baselineClone], work, env);

        using var ends = new RequestEnds(c => c.Request.Path.StartsWithSegments("/bench/hgbench", StringComparison.Ordinal)
            && c.Request.Query["cmd"] == "unbundle");
        var fromStart = new List<double>();
        var accepted = new List<double>();
        var baseline = new List<double>();
        var missing = 0;
        var cpuBefore = ProcessCpu.Read();
        for (var round = 0; round < warmup + rounds; round++)
        {
            var node = await CommitAsync(posthornClone, round, env);
            var started = Stopwatch.GetTimestamp();
            await Shell.RunAsync("hg", ["push", "-q", posthornUrl], posthornClone, env);
            var answered = ends.Last;
            await CommitAsync(baselineClone, round, env);
            var baselineStarted = Stopwatch.GetTimestamp();
            await Shell.RunAsync("hg", ["push", "-q", baselineUrl], baselineClone, env);
            var baselineTime = Stopwatch.GetElapsedTime(baselineStarted).TotalMilliseconds;
            if (round < warmup)
            {
                cpuBefore = ProcessCpu.Read();
                continue;
            }

            baseline.Add(baselineTime);
            var arrived = await ArrivalAsync(arrivals, node);
            if (arrived is not { } at)
            {
                missing++;
                continue;
            }

            fromStart.Add(Stopwatch.GetElapsedTime(started, at).TotalMilliseconds);
            if (answered != 0)
            {
                accepted.Add(Stopwatch.GetElapsedTime(answered, at).TotalMilliseconds);
            }
        }

        var cpu = ProcessCpu.Read() - cpuBefore;
        fromStart.Sort();
        accepted.Sort();
        baseline.Sort();
        var p50 = Percentiles.Of(fromStart, 50);
        var p99 = Percentiles.Of(accepted, 99);
        var note = $"{rounds} pushes to each after {warmup} warm-up pushes, {missing} POSTs missing, {accepted.Count(a => a < 0)} POSTs arrived " +
            $"before the unbundle answer was finished; accepted → received p50 {Percentiles.Of(accepted, 50):0.#} ms; CPU per round (both pushes " +
            $"and commits): {cpu.Self.TotalMilliseconds / rounds:0.#} ms in this process, {cpu.Children.TotalMilliseconds / rounds:0.#} ms in hg and git processes";
        Console.WriteLine($"  {note}");
        return
        [
            new("Mercurial push start→POST received p50", p50, "ms", Percentiles.Of(baseline, 50), "reported: against the whole hg push to hg serve", missing == 0, note),
            new("Mercurial push accepted→POST received p99", p99, "ms", double.NaN, "≤ 50 ms", p99 <= 50 && missing == 0 && accepted.Count == rounds),
        ];
    }

    private static async Task<string> CommitAsync(string clone, int round, Dictionary<string, string> env)
    {
        await File.WriteAllTextAsync(Path.Combine(clone, "file.txt"), $"round {round}\n");
        await Shell.RunAsync("hg", ["commit", "-A", "-q", "-m", $"Round {round}"], clone, env);
        return (await Shell.RunAsync("hg", ["log", "-r", ".", "-T", "{node}"], clone, env)).Trim();
    }

    /// <summary>The POST naming <paramref name="node"/> normally lands before the push returns; wait a generous while for stragglers.</summary>
    private static async Task<long?> ArrivalAsync(CommitArrivals arrivals, string node)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (arrivals.TryGetValue(node, out var at))
            {
                return at;
            }

            await Task.Delay(5);
        }

        return null;
    }

    private static KilledOnDispose StartHgServe(string repository, int port, Dictionary<string, string> env)
    {
        var info = new ProcessStartInfo("hg") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
        {
            "serve", "-R", repository, "-a", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--config", "web.allow-push=*", "--config", "web.push_ssl=False",
        })
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in env)
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("hg serve did not start");
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        return new KilledOnDispose(process);
    }

    private static async Task WaitForAsync(string url)
    {
        using var http = new HttpClient();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(url);
                return;
            }
            catch (HttpRequestException) when (deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(100);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>hg serve runs until the scenario ends, whatever way it ends.</summary>
    private sealed class KilledOnDispose(Process process) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            process.Dispose();
        }
    }
}
