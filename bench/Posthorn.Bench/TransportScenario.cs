using System.Diagnostics;

namespace Posthorn.Bench;

/// <summary>
/// Scenario 4: push and clone of one large repository through Posthorn and through stock
/// <c>git http-backend</c> (behind <see cref="CgiGitHost"/>), alternating, with stock git clients.
/// </summary>
public static class TransportScenario
{
    public const string Method =
        "A synthetic repository of ≥ 200 MB (fast-import: 210 commits each adding a 1 MiB file of random, incompressible bytes, " +
        "plus small text changes) is pushed (`git push` of main into an empty repository) and cloned (`git clone --bare`) with stock git " +
        "over HTTP on loopback, through Posthorn (in-process host, token in the URL, no POST service) and through `git http-backend` " +
        "run per request by a minimal Kestrel CGI host in the benchmark (same protocol v2, same client). Rounds alternate the two " +
        "servers; the figure is the median wall time over rounds, the baseline the http-backend median.";

    public static async Task<IReadOnlyList<Figure>> RunAsync(string work, bool quick)
    {
        var commits = quick ? 30 : 210;
        var rounds = quick ? 1 : 2;
        var source = Path.Combine(work, "transport-src.git");
        var making = Stopwatch.StartNew();
        await SyntheticRepo.CreateAsync(source, commits, files: 20, blobBytes: 1 << 20);
        await Shell.GitAsync(source, "repack", "-a", "-d", "-q");
        var size = new DirectoryInfo(source).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length) / 1024.0 / 1024.0;
        Console.WriteLine($"  made a {size:0} MB repository in {making.Elapsed.TotalSeconds:0} s");

        var cgiRoot = Path.Combine(work, "cgi-root");
        Directory.CreateDirectory(cgiRoot);
        await using var cgi = await CgiGitHost.StartAsync(cgiRoot);
        await using var server = await (await BenchServer.StartAsync(Path.Combine(work, "transport-data"))).WithUserAsync();

        var pushes = (Posthorn: new List<double>(), Backend: new List<double>());
        var clones = (Posthorn: new List<double>(), Backend: new List<double>());
        for (var round = 0; round < rounds; round++)
        {
            var slug = $"big{round}";
            await server.CreateRepositoryAsync(slug);
            var bare = Path.Combine(cgiRoot, $"{slug}.git");
            await Shell.GitAsync(null, "init", "-q", "--bare", "-b", "main", bare);
            var posthornUrl = server.GitUrl(slug);
            var backendUrl = $"{cgi.Url}/{slug}.git";
            var order = round % 2 == 0 ? new[] { true, false } : [false, true];
            foreach (var posthorn in order)
            {
                var seconds = await Shell.TimeGitAsync(source, null, "push", "-q", posthorn ? posthornUrl : backendUrl, "main:refs/heads/main");
                (posthorn ? pushes.Posthorn : pushes.Backend).Add(seconds);
                Console.WriteLine($"  round {round + 1}: push through {(posthorn ? "Posthorn" : "http-backend")} {seconds:0.00} s");
            }

            foreach (var posthorn in order)
            {
                var target = Path.Combine(work, $"clone-{round}-{(posthorn ? "posthorn" : "backend")}.git");
                var seconds = await Shell.TimeGitAsync(null, null, "clone", "-q", "--bare", posthorn ? posthornUrl : backendUrl, target);
                (posthorn ? clones.Posthorn : clones.Backend).Add(seconds);
                Console.WriteLine($"  round {round + 1}: clone through {(posthorn ? "Posthorn" : "http-backend")} {seconds:0.00} s");
                Directory.Delete(target, recursive: true);
            }
        }

        var note = $"{size:0} MB repository, {commits} commits, {rounds} round(s)";
        Figure Make(string name, List<double> figure, List<double> baseline)
        {
            var ratio = Percentiles.Median(figure) / Percentiles.Median(baseline);
            return new(name, Percentiles.Median(figure), "s", Percentiles.Median(baseline), "within 1.3× of git http-backend", ratio <= 1.3, note);
        }

        return
        [
            Make("git push through Posthorn", pushes.Posthorn, pushes.Backend),
            Make("git clone through Posthorn", clones.Posthorn, clones.Backend),
        ];
    }
}
