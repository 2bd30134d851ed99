using System.Text;
using System.Text.Json;
using Posthorn.Git.Processes;

namespace Posthorn.Git.Mercurial;

/// <summary>
/// Reads what a recorded push needs in one posthorn_hg.py "push" process (starting Mercurial's
/// Python costs more than the reading): the refs now, which moves were not forced, and the
/// changesets the push added — every revision above the highest one the tips before pointed at
/// (Mercurial appends changesets in revision order, and the repository's tip is always some
/// branch's tipmost head, so that highest revision is the tip before the push). Streamed; only the
/// newest <c>keep</c> changesets are held.
/// </summary>
internal sealed class HgChangesetLog(GitRunner runner, MercurialOptions options)
{
    /// <summary>After a push whose refs before are known: the moves are from each ref before to where it is now.</summary>
    public Task<HgPushFacts> ReadAfterAsync(string directory, IReadOnlyDictionary<string, string> before, int keep, CancellationToken ct) =>
        ReadAsync(directory, before.Values.ToHashSet(StringComparer.Ordinal), before.Select(r => $"before {r.Value} {r.Key}"), keep, ct);

    /// <summary>For given tips before and (old, new) moves.</summary>
    public Task<HgPushFacts> ReadAsync(string directory, IReadOnlyCollection<string> tipsBefore, IEnumerable<(string Old, string New)> moves, int keep, CancellationToken ct) =>
        ReadAsync(directory, tipsBefore.ToHashSet(StringComparer.Ordinal), tipsBefore.Select(t => "tip " + t).Concat(moves.Select(m => $"move {m.Old} {m.New}")), keep, ct);

    private async Task<HgPushFacts> ReadAsync(string directory, IReadOnlySet<string> tips, IEnumerable<string> input, int keep, CancellationToken ct)
    {
        var request = Encoding.UTF8.GetBytes(string.Concat(input.Select(l => l + "\n")));
        HgPushFactsHead? head = null;
        var newest = new Queue<HgChangeset>();
        var total = 0;
        var result = await runner.RunAsync(
            HgScript.Invocation(options, "push", directory, []) with
            {
                Stdin = (stdin, c) => stdin.WriteAsync(request, c).AsTask(),
                Stdout = async (stdout, c) =>
                {
                    using var reader = new StreamReader(stdout, Encoding.UTF8, leaveOpen: true);
                    while (await reader.ReadLineAsync(c).ConfigureAwait(false) is { } line)
                    {
                        if (head is null)
                        {
                            head = JsonSerializer.Deserialize<HgPushFactsHead>(line);
                            continue;
                        }

                        total++;
                        newest.Enqueue(JsonSerializer.Deserialize<HgChangeset>(line) ?? throw new FormatException("an empty changeset line"));
                        while (newest.Count > keep)
                        {
                            newest.Dequeue();
                        }
                    }
                },
            },
            ct).ConfigureAwait(false);
        if (!result.Succeeded || head is null)
        {
            throw new GitCommandException("hg push facts", result);
        }

        return new HgPushFacts(directory, tips, head.Refs, head.Forward.ToHashSet(StringComparer.Ordinal), [.. newest], total);
    }
}
