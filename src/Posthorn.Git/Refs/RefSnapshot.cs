using Posthorn.Core.Pushes;
using Posthorn.Git.Processes;

namespace Posthorn.Git.Refs;

/// <summary>
/// Every ref of a repository and the object it points at, at one moment. Comparing the snapshot
/// before and after receive-pack is how Posthorn learns what a push applied: only updates git
/// accepted show up, and nothing depends on parsing the pack or the report-status text.
/// </summary>
public sealed class RefSnapshot
{
    private readonly Dictionary<string, string> refs;

    private RefSnapshot(Dictionary<string, string> refs) => this.refs = refs;

    public IReadOnlyDictionary<string, string> Refs => refs;

    /// <summary>The distinct objects the refs point at: a commit is new to the repository when none of them reaches it.</summary>
    public IReadOnlyCollection<string> Tips => refs.Values.ToHashSet(StringComparer.Ordinal);

    public static async Task<RefSnapshot> ReadAsync(GitRunner runner, string gitDirectory, CancellationToken ct)
    {
        // Ref names cannot contain spaces or newlines (git-check-ref-format), so "id name" lines are unambiguous.
        var text = await runner.ReadTextAsync(
            new GitInvocation(["for-each-ref", "--format=%(objectname) %(refname)"]) { WorkingDirectory = gitDirectory, Environment = GitEnvironment.ForRepository(gitDirectory) },
            ct).ConfigureAwait(false);
        var refs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            refs[line[(space + 1)..]] = line[..space];
        }

        return new RefSnapshot(refs);
    }

    /// <summary>What changed between this snapshot and <paramref name="after"/>, ordered by ref name.</summary>
    public IReadOnlyList<RefUpdate> Diff(RefSnapshot after)
    {
        var updates = new List<RefUpdate>();
        foreach (var name in refs.Keys.Union(after.refs.Keys).Order(StringComparer.Ordinal))
        {
            var oldId = refs.GetValueOrDefault(name, RefUpdate.ZeroId);
            var newId = after.refs.GetValueOrDefault(name, RefUpdate.ZeroId);
            if (oldId != newId)
            {
                updates.Add(new RefUpdate(name, oldId, newId));
            }
        }

        return updates;
    }
}
