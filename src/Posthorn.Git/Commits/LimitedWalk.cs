using LibGit2Sharp;

namespace Posthorn.Git.Commits;

/// <summary>
/// The commits <c>git log --topo-order tip ^excluded...</c> lists when git limits its walk (no
/// commit-graph), found the way git finds them (revision.c: prepare_revision_walk, limit_list,
/// process_parents, still_interesting). git stops a few commits ("slop") after only excluded commits
/// are queued, judged by commit dates, so with clock skew it lists commits an excluded tip does reach;
/// libgit2's walk stops elsewhere. <see cref="InProcessLog"/> answers only when both walks agree.
/// </summary>
internal static class LimitedWalk
{
    private const int Slop = 5;

    /// <summary>A walk longer than this is left to git: a push's walk pops a few dozen commits.</summary>
    private const int MaxPopped = 10_000;

    /// <summary>The ids git would list, or null for anything this does not mirror (a negative date, a missing object, a long walk).</summary>
    public static HashSet<string>? Listed(Repository repository, string tip, IReadOnlyList<string> excluded)
    {
        var nodes = new Dictionary<string, Node>(StringComparer.Ordinal);
        Node Of(Commit commit) => nodes.TryGetValue(commit.Sha, out var node) ? node : nodes[commit.Sha] = new Node(commit);

        // git sets each argument's flag on its object while reading the arguments, before walking.
        var arguments = excluded.Select(id => (Id: id, Negative: true)).Prepend((Id: tip, Negative: false)).ToList();
        var negativeObjects = new HashSet<string>(excluded, StringComparer.Ordinal);
        var resolved = new List<(Node Node, bool Uninteresting)>();
        foreach (var (id, negative) in arguments)
        {
            var target = repository.Lookup(id);
            if (target is null)
            {
                return null; // git stops with "bad revision"
            }

            if (target is Commit direct)
            {
                var node = Of(direct);
                node.Uninteresting |= negative;
                resolved.Add((node, false));
                continue;
            }

            while (target is TagAnnotation tag)
            {
                target = tag.Target;
            }

            if (target is Commit peeled)
            {
                resolved.Add((Of(peeled), negativeObjects.Contains(id)));
            }
        }

        var list = new List<Node>();
        foreach (var (node, tagUninteresting) in resolved)
        {
            // handle_commit: a tag passes its flag on; an excluded commit's parents are marked at once.
            node.Uninteresting |= tagUninteresting;
            if (!Parse(node, Of))
            {
                return null;
            }

            if (node.Uninteresting)
            {
                MarkParentsUninteresting(node);
            }

            if (!node.Seen)
            {
                node.Seen = true;
                list.Add(node);
            }
        }

        list = [.. list.OrderByDescending(n => n.Date)]; // a stable sort, as commit_list_sort_by_date
        var listed = new List<Node>();
        var date = ulong.MaxValue;
        var slop = Slop;
        var popped = 0;
        while (list.Count > 0)
        {
            if (++popped > MaxPopped)
            {
                return null;
            }

            var commit = list[0];
            list.RemoveAt(0);
            if (!ProcessParents(commit, list, Of))
            {
                return null;
            }

            if (commit.Uninteresting)
            {
                MarkParentsUninteresting(commit);
                slop = StillInteresting(list, date, slop);
                if (slop > 0)
                {
                    continue;
                }

                break;
            }

            date = commit.Date;
            listed.Add(commit);
        }

        // Commits marked uninteresting after they were listed are not shown.
        return [.. listed.Where(n => !n.Uninteresting).Select(n => n.Commit.Sha)];
    }

    private static bool Parse(Node node, Func<Commit, Node> of)
    {
        if (node.Parents is not null)
        {
            return true;
        }

        var seconds = node.Commit.Committer.When.ToUnixTimeSeconds();
        if (seconds < 0)
        {
            return false; // git reads "-1" as a huge unsigned number
        }

        node.Date = (ulong)seconds;
        node.Parents = [.. node.Commit.Parents.Select(of)];
        return true;
    }

    private static bool ProcessParents(Node commit, List<Node> list, Func<Commit, Node> of)
    {
        if (commit.Added)
        {
            return true;
        }

        commit.Added = true;
        foreach (var parent in commit.Parents!)
        {
            if (commit.Uninteresting)
            {
                parent.Uninteresting = true;
            }

            if (!Parse(parent, of))
            {
                return false;
            }

            if (commit.Uninteresting && parent.Parents!.Count > 0)
            {
                MarkParentsUninteresting(parent);
            }

            if (!parent.Seen)
            {
                parent.Seen = true;
                InsertByDate(list, parent);
            }
        }

        return true;
    }

    /// <summary>Marks the parents, and through every commit already parsed, their ancestors.</summary>
    private static void MarkParentsUninteresting(Node commit)
    {
        var pending = new Stack<Node>(commit.Parents ?? []);
        while (pending.TryPop(out var parent))
        {
            if (parent.Uninteresting)
            {
                continue;
            }

            parent.Uninteresting = true;
            foreach (var grandparent in parent.Parents ?? [])
            {
                pending.Push(grandparent);
            }
        }
    }

    /// <summary>commit_list_insert_by_date: after every commit at least as new.</summary>
    private static void InsertByDate(List<Node> list, Node node)
    {
        var at = 0;
        while (at < list.Count && list[at].Date >= node.Date)
        {
            at++;
        }

        list.Insert(at, node);
    }

    private static int StillInteresting(List<Node> list, ulong date, int slop)
    {
        if (list.Count == 0)
        {
            return 0;
        }

        if (date <= list[0].Date || list.Any(n => !n.Uninteresting))
        {
            return Slop;
        }

        return slop - 1;
    }

    private sealed class Node(Commit commit)
    {
        public Commit Commit { get; } = commit;

        public List<Node>? Parents { get; set; }

        public ulong Date { get; set; }

        public bool Uninteresting { get; set; }

        public bool Seen { get; set; }

        public bool Added { get; set; }
    }
}
