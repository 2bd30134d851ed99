using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace Posthorn.Bench;

/// <summary>
/// When the receiver first saw each commit: every "raw_node" a POST body names (git commit ids and
/// Mercurial changeset nodes alike), stamped with the body's arrival. Thread-safe.
/// </summary>
public sealed partial class CommitArrivals
{
    private readonly ConcurrentDictionary<string, long> arrivals = new(StringComparer.Ordinal);

    /// <summary>For <see cref="Receiver.OnBody"/>.</summary>
    public void Add(byte[] body, long at)
    {
        foreach (Match match in RawNode().Matches(Encoding.UTF8.GetString(body)))
        {
            arrivals.TryAdd(match.Groups[1].Value, at);
        }
    }

    /// <summary>The arrival of the first POST that named <paramref name="commit"/>.</summary>
    public long this[string commit] => arrivals[commit];

    public bool TryGetValue(string commit, out long at) => arrivals.TryGetValue(commit, out at);

    public bool ContainsKey(string commit) => arrivals.ContainsKey(commit);

    [GeneratedRegex("\"raw_node\"\\s*:\\s*\"([0-9a-f]{40})\"")]
    private static partial Regex RawNode();
}
