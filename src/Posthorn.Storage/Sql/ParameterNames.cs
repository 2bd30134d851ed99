using System.Collections.Concurrent;
using System.Globalization;

namespace Posthorn.Storage.Sql;

/// <summary>
/// Numbered parameter names ("@id0", "@s12") and the IN lists made of them, built once per process:
/// the claim and settlement statements name one parameter per row and column, and building those
/// names again for every statement was a kilobyte of garbage per delivery. Thread-safe.
/// </summary>
internal static class ParameterNames
{
    /// <summary>Numbers kept per prefix: a many-row statement has at most 64 rows, a claim's IN lists are padded to powers of two.</summary>
    private const int Kept = 256;

    private static readonly ConcurrentDictionary<string, string[]> Numbered = new(StringComparer.Ordinal);

    private static readonly ConcurrentDictionary<(string Prefix, int Count), string> Lists = new();

    /// <summary><paramref name="prefix"/> followed by <paramref name="number"/>, or <paramref name="prefix"/> alone when <paramref name="number"/> is null (a single-row statement).</summary>
    public static string Of(string prefix, int? number)
    {
        if (number is not { } n)
        {
            return prefix;
        }

        return n is >= 0 and < Kept
            ? Numbered.GetOrAdd(prefix, static p => [.. Enumerable.Range(0, Kept).Select(i => p + i.ToString(CultureInfo.InvariantCulture))])[n]
            : prefix + n.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>"@id0, @id1, …" with <paramref name="count"/> names.</summary>
    public static string List(string prefix, int count) =>
        count <= Kept
            ? Lists.GetOrAdd((prefix, count), static key => Join(key.Prefix, key.Count))
            : Join(prefix, count);

    private static string Join(string prefix, int count) => string.Join(", ", Enumerable.Range(0, count).Select(i => Of(prefix, i)));
}
