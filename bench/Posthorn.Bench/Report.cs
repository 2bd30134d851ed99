using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Posthorn.Bench;

/// <summary>Writes docs/benchmarks.json (one entry per figure) and docs/benchmarks.md (the table, with the machine).</summary>
public static class Report
{
    public static async Task<string> DescribeMachineAsync()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var memory = File.Exists("/proc/meminfo")
            ? File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]
            : "0";
        var os = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?.Split('=', 2)[1].Trim('"')
            : RuntimeInformation.OSDescription;
        var git = (await Shell.GitAsync(null, "--version")).Trim();
        var gib = long.Parse(memory, CultureInfo.InvariantCulture) / 1024.0 / 1024.0;
        return $"{Environment.ProcessorCount} cores ({cpu ?? RuntimeInformation.ProcessArchitecture.ToString()}), {gib:0.#} GiB memory, {os} ({RuntimeInformation.OSDescription.Trim()}), {RuntimeInformation.FrameworkDescription}, {git}";
    }

    public static async Task WriteAsync(string docs, string machine, DateTimeOffset date, bool quick, TimeSpan elapsed, IReadOnlyList<(string Scenario, string Method, IReadOnlyList<Figure> Figures)> results)
    {
        Directory.CreateDirectory(docs);
        var scenarios = new JsonArray();
        foreach (var figure in results.SelectMany(r => r.Figures))
        {
            scenarios.Add(new JsonObject
            {
                ["name"] = figure.Name,
                ["figure"] = Round(figure.Value),
                ["unit"] = figure.Unit,
                ["baseline"] = Round(figure.Baseline),
                ["ratio"] = Round(figure.Ratio),
                ["bar"] = figure.Bar,
                ["pass"] = figure.Pass,
            });
        }

        var json = new JsonObject { ["machine"] = machine, ["date"] = date.ToString("O", CultureInfo.InvariantCulture), ["scenarios"] = scenarios };
        await File.WriteAllTextAsync(Path.Combine(docs, "benchmarks.json"), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");

        var md = new StringBuilder()
            .AppendLine("# Benchmarks")
            .AppendLine()
            .AppendLine("Latest output of `bench/run` (see README). Every figure is set against a baseline measured in the same run on the")
            .AppendLine("same machine, because the machine is shared and noisy: the ratio is what to compare between runs.")
            .AppendLine("Why the bars that fall short do, and what was changed for them: [benchmark-notes.md](benchmark-notes.md).")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"- Date: {date:yyyy-MM-dd HH:mm} UTC{(quick ? " (--quick run: smaller sizes, not the real figures)" : "")}, whole run {elapsed.TotalMinutes:0.0} min")
            .AppendLine(CultureInfo.InvariantCulture, $"- Machine: {machine}")
            .AppendLine()
            .AppendLine("| figure | value | baseline | ratio | bar | result |")
            .AppendLine("|---|---|---|---|---|---|");
        foreach (var f in results.SelectMany(r => r.Figures))
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {f.Name} | {f.Value:0.###} {f.Unit} | {f.Baseline:0.###} {f.Unit} | {f.Ratio:0.###} | {f.Bar} | {(f.Pass ? "pass" : "**falls short**")} |");
        }

        md.AppendLine().AppendLine("## How each scenario is measured").AppendLine();
        foreach (var (scenario, method, figures) in results)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"### {scenario}").AppendLine().AppendLine(method).AppendLine();
            foreach (var note in figures.Where(f => f.Note.Length > 0))
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- {note.Name}: {note.Note}");
            }

            md.AppendLine();
        }

        await File.WriteAllTextAsync(Path.Combine(docs, "benchmarks.md"), md.ToString());
    }

    private static double Round(double value) => double.IsFinite(value) ? Math.Round(value, 4) : 0;
}
