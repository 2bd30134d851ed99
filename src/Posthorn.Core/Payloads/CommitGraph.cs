namespace Posthorn.Core.Payloads;

/// <summary>
/// The new commits of a push by id, to tell which of them one changed ref reaches. Exact while the
/// push's list was not truncated: no commit an old tip reaches has a new ancestor, so walking parents
/// inside the new commits from a ref's new tip finds exactly the commits new to that ref.
/// </summary>
public sealed class CommitGraph(IReadOnlyList<PayloadCommit> commits)
{
    private readonly Dictionary<string, PayloadCommit> byId = commits.ToDictionary(c => c.RawNode, StringComparer.Ordinal);

    public PayloadCommit? Find(string id) => byId.GetValueOrDefault(id);

    /// <summary>The new commits <paramref name="tip"/> reaches, oldest first (the push's own order).</summary>
    public IReadOnlyList<PayloadCommit> ReachableFrom(string tip)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>();
        pending.Push(tip);
        while (pending.TryPop(out var id))
        {
            if (byId.TryGetValue(id, out var commit) && seen.Add(id))
            {
                foreach (var parent in commit.Parents)
                {
                    pending.Push(parent);
                }
            }
        }

        return seen.Count == 0 ? [] : commits.Where(c => seen.Contains(c.RawNode)).ToList();
    }
}
