using System.CommandLine;
using System.Text.Json;

namespace Posthorn.Cli;

/// <summary>
/// How listings are printed: a table with a header row for people, or with --json the API's own
/// shapes (snake_case) for scripts, so a script written against one works against the other.
/// </summary>
public static class CliOutput
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    public static Option<bool> JsonOption() => new("--json") { Description = "Print JSON (the API's shapes) instead of a table" };

    public static async Task WriteJsonAsync<T>(TextWriter output, T value) => await output.WriteLineAsync(JsonSerializer.Serialize(value, Json));

    /// <summary>Columns padded to their widest cell; the last column is not padded, so long URLs or errors do not push lines out.</summary>
    public static async Task WriteTableAsync(TextWriter output, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = rows.Prepend(headers).ToList();
        var widths = headers.Select((_, i) => all.Max(r => r[i].Length)).ToArray();
        foreach (var row in all)
        {
            var cells = row.Select((cell, i) => i == row.Count - 1 ? cell : cell.PadRight(widths[i]));
            await output.WriteLineAsync(string.Join("  ", cells).TrimEnd());
        }
    }

    /// <summary>A time as people read it in a terminal: UTC, to the second, without the fraction.</summary>
    public static string Time(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) : "-";
}
