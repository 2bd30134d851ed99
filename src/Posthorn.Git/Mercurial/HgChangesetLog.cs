using System.Text;
using System.Text.Json;
using Posthorn.Git.Processes;

namespace Posthorn.Git.Mercurial;

/// <summary>
/// The changesets a push added: every revision above the highest one the refs before it pointed at
/// (Mercurial appends changesets in revision order, and the repository's tip is always some
/// branch's tipmost head, so that highest revision is the tip before the push). Streamed; only the
/// newest <c>keep</c> are held.
/// </summary>
internal sealed class HgChangesetLog(GitRunner runner, MercurialOptions options)
{
    public async Task<(IReadOnlyList<HgChangeset> Newest, int Total)> ListAsync(string directory, IReadOnlyCollection<string> tipsBefore, int keep, CancellationToken ct)
    {
        var newest = new Queue<HgChangeset>();
        var total = 0;
        var result = await runner.RunAsync(
            HgScript.Invocation(options, "changesets", directory, tipsBefore) with
            {
                Stdout = async (stdout, c) =>
                {
                    using var reader = new StreamReader(stdout, Encoding.UTF8, leaveOpen: true);
                    while (await reader.ReadLineAsync(c).ConfigureAwait(false) is { } line)
                    {
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
        if (!result.Succeeded)
        {
            throw new GitCommandException("hg changesets", result);
        }

        return ([.. newest], total);
    }

    /// <summary>Those old nodes of (old, new) moves that are ancestors of their new node: the moves that were not forced.</summary>
    public async Task<IReadOnlySet<string>> AncestorsAsync(string directory, IEnumerable<(string Old, string New)> moves, CancellationToken ct)
    {
        var arguments = moves.SelectMany(m => new[] { m.Old, m.New }).ToList();
        var found = new HashSet<string>(StringComparer.Ordinal);
        if (arguments.Count == 0)
        {
            return found;
        }

        var output = new MemoryStream();
        var result = await runner.RunAsync(HgScript.Invocation(options, "ancestors", directory, arguments) with { Stdout = (s, c) => s.CopyToAsync(output, c) }, ct).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new GitCommandException("hg ancestors", result);
        }

        found.UnionWith(Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        return found;
    }
}
