using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Posthorn.Git.Mercurial;

/// <summary>
/// The refs this process last saw recorded for each Mercurial repository, with a fingerprint of the
/// files Mercurial keeps them in, taken before they were read. While the fingerprint is unchanged the
/// refs on disk are still the recorded ones, so the next push skips reconciliation's read (a Python
/// process). The fingerprint: length and write time of the append-only changelog and obsolescence
/// store (a strip or an append changes both), and the contents of the small files that are rewritten
/// (bookmarks, phases, local tags, requirements). Anything unknown (a restart, a failed recording)
/// means no entry, and the push reconciles as before. Thread-safe; register as a singleton.
/// </summary>
public sealed class HgRecordedRefs
{
    private static readonly string[] AppendOnly = ["store/00changelog.i", "store/00changelog.d", "store/obsstore", "store/journal"];
    private static readonly string[] Rewritten = ["bookmarks", "store/phaseroots", "localtags", "requires", "store/requires", "store/00changelog.n"];

    private readonly ConcurrentDictionary<string, (string Fingerprint, IReadOnlyDictionary<string, string> Refs)> known = new(StringComparer.Ordinal);

    /// <summary>The recorded refs if the repository's files are as they were when those refs were read; otherwise null.</summary>
    public IReadOnlyDictionary<string, string>? Unchanged(string directory) =>
        known.TryGetValue(directory, out var entry) && entry.Fingerprint == Fingerprint(directory) ? entry.Refs : null;

    /// <param name="fingerprint">Taken before <paramref name="refs"/> were read, so a change in between shows as a different fingerprint next time.</param>
    public void Remember(string directory, string fingerprint, IReadOnlyDictionary<string, string> refs) => known[directory] = (fingerprint, refs);

    public void Forget(string directory) => known.TryRemove(directory, out _);

    public static string Fingerprint(string directory)
    {
        var text = new StringBuilder();
        foreach (var name in AppendOnly)
        {
            var file = new FileInfo(Path.Combine(directory, ".hg", name));
            text.Append(name).Append(' ').Append(file.Exists ? $"{file.Length} {file.LastWriteTimeUtc.Ticks}" : "-").Append('\n');
        }

        foreach (var name in Rewritten)
        {
            var path = Path.Combine(directory, ".hg", name);
            text.Append(name).Append(' ').Append(File.Exists(path) ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))) : "-").Append('\n');
        }

        return text.ToString();
    }
}
