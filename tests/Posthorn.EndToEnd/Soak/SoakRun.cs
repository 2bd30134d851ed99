using System.Diagnostics;
using System.Text.Json;
using Posthorn.EndToEnd.PostService;
using Posthorn.EndToEnd.Support;

namespace Posthorn.EndToEnd.Soak;

/// <summary>
/// The fault soak on one database: concurrent pushers push for real to the real server while two
/// receivers fail about 30 % of requests and the server is SIGKILLed and restarted on the same data
/// at seeded random moments; then a quiet period until every delivery settles; then the books,
/// printed and written to artifacts/soak/books-{backend}.json.
/// </summary>
public static class SoakRun
{
    private const string Slug = "soak";

    // Short enough that retries finish within the soak, long enough (31 attempts) that a receiver
    // failing 30 % of requests never exhausts a delivery; pausing is out of reach, since failures
    // here are the receivers' chaos, not a dead service.
    private static readonly Dictionary<string, string> ServerEnvironment = new(
        Enumerable.Range(1, 30).Select(i => KeyValuePair.Create($"Delivery__RetrySchedule__{i}", "00:00:00.500")))
    {
        ["Delivery__RetrySchedule__0"] = "00:00:00.200",
        ["Delivery__Jitter"] = "0.2",
        ["Delivery__AttemptTimeout"] = "00:00:01",
        ["Delivery__Lease"] = "00:00:03", // a claim held by a killed process is taken over this soon
        ["Delivery__MaxIdle"] = "00:00:00.200",
        ["Delivery__PauseAfterFailures"] = "1000",
        ["Delivery__DisableAfterFailures"] = "1000",
    };

    public static async Task<Books> RunAsync(SoakSettings settings, Action<string> log)
    {
        var total = Stopwatch.StartNew();
        await using var site = await Site.StartAsync(settings.Backend, ServerEnvironment);
        await using var json = await FlakyReceiver.StartAsync(settings.Seed * 10 + 1, TimeSpan.FromSeconds(3));
        await using var form = await FlakyReceiver.StartAsync(settings.Seed * 10 + 2, TimeSpan.FromSeconds(3));

        // The repository, its two services, and main with one commit, before any pusher starts.
        var seed = await Repos.CreateAsync(site, Slug);
        SoakService[] services =
        [
            new("receiver-json", "json", (await Hook.AddAsync(site, Slug, json.Url + "/hook", "json")).Id, json),
            new("receiver-form", "bitbucket-post", (await Hook.AddAsync(site, Slug, form.Url + "/hook")).Id, form),
        ];
        await Repos.CommitAsync(site, seed, "README.md", "soak\n");
        await Repos.PushAsync(site, seed, Slug, "HEAD:refs/heads/main");
        var gitDirectory = Path.Combine(site.Server.DataDirectory, "repositories", "alice", Slug + ".git");
        var hooks = Path.GetFullPath((await site.Git.RunAsync(gitDirectory, "rev-parse", "--git-path", "hooks")).Trim(), gitDirectory);
        var hook = BusyHook.Install(hooks, site.Folder.Sub("busy"));
        var kills = new ServerKills(site.Server, hook);

        var pushers = new List<Pusher>();
        for (var i = 0; i < settings.Pushers; i++)
        {
            var user = i % 2 == 0 ? "alice" : "carol";
            pushers.Add(await Pusher.CloneAsync(i, site.Git, site.Url(Slug, user), site.Folder.Path, kills, settings.Seed * 100 + i));
        }

        log($"[{settings.Backend}] soak: {settings.Pushers} pushers for {settings.PushPhase.TotalSeconds:0} s, {settings.Kills} kills, seed {settings.Seed}; server {site.Server.BaseUrl}, data {site.Server.DataDirectory}");
        var phase = Stopwatch.StartNew();
        var until = DateTime.UtcNow + settings.PushPhase;
        var pushing = pushers.Select(p => Task.Run(() => p.RunAsync(until, settings.MaxPushesPerPusher))).ToList();
        await KillAtRandomMomentsAsync(settings, kills, log);
        await Task.WhenAll(pushing);
        var pushPhase = phase.Elapsed;

        var auditor = new Auditor(site, Slug, gitDirectory, services);
        var clientPushes = pushers.SelectMany(p => p.Pushes).ToList();
        var gitPushRuns = pushers.Sum(p => p.GitPushRuns);
        var quiet = Stopwatch.StartNew();
        while (true)
        {
            // The books balance once nothing is pending and every reachable commit has been announced;
            // a correct server gets there (recovered pushes included), a losing one never does, so
            // the deadline only ends a failing run.
            var overdue = quiet.Elapsed > settings.QuietDeadline;
            if (overdue || !await auditor.AnyPendingAsync())
            {
                var facts = new SoakRunFacts(
                    settings.Backend, settings.Seed, settings.Pushers, kills.Done, kills.LandedInReceivePack, gitPushRuns, pushPhase, quiet.Elapsed, total.Elapsed);
                var books = await auditor.CloseAsync(facts, clientPushes);
                if (overdue || books.Failures.Count == 0)
                {
                    Write(books, site, settings.ArtifactName);
                    log(books.ToTable());
                    return books;
                }
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    private static async Task KillAtRandomMomentsAsync(SoakSettings settings, ServerKills kills, Action<string> log)
    {
        // Moments spread over 15..85 % of the push phase, drawn from the seed; each kill then arms the
        // hook and waits (bounded) for the push it holds inside receive-pack, so the kill lands while git is working.
        var random = new Random(settings.Seed);
        var start = DateTime.UtcNow;
        var moments = Enumerable.Range(0, settings.Kills).Select(_ => 0.15 + random.NextDouble() * 0.7).Order().ToList();
        foreach (var moment in moments)
        {
            var at = start + settings.PushPhase * moment;
            if (at > DateTime.UtcNow)
            {
                await Task.Delay(at - DateTime.UtcNow);
            }

            await kills.KillAndRestartAsync(TimeSpan.FromSeconds(20));
            log($"[{settings.Backend}] kill -9 #{kills.Done} at {(DateTime.UtcNow - start).TotalSeconds:0.0} s ({kills.LandedInReceivePack} inside receive-pack so far); restarted");
        }
    }

    private static void Write(Books books, Site site, string name)
    {
        var folder = Path.Combine(RepoRoot.Path, "artifacts", "soak");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, $"{name}-{books.Backend}.json"), JsonSerializer.Serialize(books, new JsonSerializerOptions(Site.Json) { WriteIndented = true }));
        File.WriteAllText(Path.Combine(folder, $"{name}-{books.Backend}.txt"), books.ToTable());
        if (File.Exists(site.Server.LogPath))
        {
            File.Copy(site.Server.LogPath, Path.Combine(folder, $"{name}-server-{books.Backend}.log"), overwrite: true);
        }
    }
}
