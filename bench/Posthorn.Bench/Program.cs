using System.Diagnostics;
using Posthorn.Bench;

// Posthorn's benchmark: six whole-system scenarios, each against a baseline measured in the same
// run (the bars are in docs/benchmarks.md). Always exits 0: it measures, tests judge behaviour.
// Usage: dotnet run -c Release --project bench/Posthorn.Bench -- [--quick] [--only N[,N]] [--docs DIR]
var quick = args.Contains("--quick");
var only = ArgAfter("--only")?.Split(',').Select(int.Parse).ToHashSet();
var docs = ArgAfter("--docs") ?? Path.Combine(FindRoot(), "docs");
var work = Path.Combine(Path.GetTempPath(), $"posthorn-bench-{Environment.ProcessId}");
Directory.CreateDirectory(work);
var clock = Stopwatch.StartNew();
var date = DateTimeOffset.UtcNow;
var machine = await Report.DescribeMachineAsync();
Console.WriteLine($"Posthorn benchmark{(quick ? " (--quick)" : "")} on {machine}");

var scenarios = new (int Number, string Title, string Method, Func<Task<IReadOnlyList<Figure>>> Run)[]
{
    (1, "1. Pushes: push start → POST, capacity", LatencyScenario.Method, () => LatencyScenario.RunAsync(work, quick)),
    (2, "2. Delivery throughput", ThroughputScenario.Method, () => ThroughputScenario.RunAsync(work, quick)),
    (3, "3. Payload building", PayloadScenario.Method, () => PayloadScenario.RunAsync(work, quick)),
    (4, "4. Git transport", TransportScenario.Method, () => TransportScenario.RunAsync(work, quick)),
    (5, "5. Backlog", BacklogScenario.Method, () => BacklogScenario.RunAsync(work, quick)),
    (6, "6. Mercurial pushes", MercurialScenario.Method, () => MercurialScenario.RunAsync(work, quick)),
};

var results = new List<(string, string, IReadOnlyList<Figure>)>();
foreach (var (number, title, method, run) in scenarios.Where(s => only is null || only.Contains(s.Number)))
{
    Console.WriteLine($"{title}");
    var started = Stopwatch.StartNew();
    try
    {
        var figures = await run();
        foreach (var figure in figures)
        {
            figure.Print();
        }

        results.Add((title, method, figures));
    }
    catch (Exception ex)
    {
        Console.WriteLine($"  scenario failed: {ex}");
        results.Add((title, method, [new Figure(title, double.NaN, "", double.NaN, "scenario ran", false, $"failed: {ex.Message}")]));
    }

    Console.WriteLine($"  ({started.Elapsed.TotalSeconds:0} s)");
}

await Report.WriteAsync(docs, machine, date, quick, clock.Elapsed, results);
Console.WriteLine($"Wrote {docs}/benchmarks.json and benchmarks.md in {clock.Elapsed.TotalMinutes:0.0} min");
try
{
    Directory.Delete(work, recursive: true);
}
catch (IOException)
{
    // Leftover scratch files in /tmp are harmless.
}

return 0;

string? ArgAfter(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

static string FindRoot()
{
    var directory = new DirectoryInfo(AppContext.BaseDirectory);
    while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Posthorn.slnx")))
    {
        directory = directory.Parent;
    }

    return directory?.FullName ?? Environment.CurrentDirectory;
}
