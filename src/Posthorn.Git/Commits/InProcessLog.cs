using LibGit2Sharp;
using Posthorn.Git.Refs;

namespace Posthorn.Git.Commits;

/// <summary>
/// <see cref="CommitLog"/>'s listing without starting git, for the push nearly every push is: a
/// straight line of new commits on one branch. libgit2 walks "reachable from the tip, from no excluded
/// tip" (the same set git log takes), each commit's own bytes are read from its loose object, and its
/// files come from comparing trees in git's order. The result is git log's, field for field, or null:
/// a merge or root commit among the new ones, more of them than the cap, a commit git has packed, any
/// header or name only git can be trusted to print, a repository configured in a way that changes what
/// git prints (another object format, replaced or grafted history, an output encoding, a diff order).
/// Saves a process of a few milliseconds per push; <see cref="CommitLog"/> asks git whenever this gives up.
/// </summary>
internal static class InProcessLog
{
    /// <summary>Tips before the push (refs) past which git is asked: the in-process ref reader's bound.</summary>
    private const int MaxExcluded = FilesBackendRefs.MaxRefs;

    // Once libgit2 could not be loaded at all, stop trying: every push would pay for the exception.
    private static volatile bool unavailable;

    public static CommitListing? TryList(string gitDirectory, string tip, string oldTip, IEnumerable<string> excluded, CommitCaps caps)
    {
        var hidden = excluded.ToList();
        if (unavailable || hidden.Count > MaxExcluded || !ReadsLikeGit.Repository(gitDirectory))
        {
            return null; // checked before any file is read: past the bound each excluded tip, parsed by both walks below, costs more than one git process
        }

        try
        {
            return List(gitDirectory, tip, oldTip, hidden, caps);
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or BadImageFormatException)
        {
            unavailable = true;
            return null;
        }
        catch (Exception e) when (e is LibGit2SharpException or IOException or UnauthorizedAccessException or InvalidCastException or InvalidOperationException
            or ArgumentOutOfRangeException or OverflowException or FormatException)
        {
            // A missing or odd object: git says what it makes of it. Odd includes a date past year
            // 9999 or before year 1, which git takes and libgit2's signature cannot hold (it throws
            // ArgumentOutOfRangeException): refusing the push for it would block the branch for good.
            return null;
        }
    }

    private static CommitListing? List(string gitDirectory, string tip, string oldTip, List<string> hidden, CommitCaps caps)
    {
        using var repository = new Repository(gitDirectory);
        var filter = new CommitFilter
        {
            IncludeReachableFrom = tip,
            ExcludeReachableFrom = hidden,
            SortBy = CommitSortStrategies.Topological,
        };
        var newestFirst = repository.Commits.QueryBy(filter).Take(caps.Limit + 1).ToList();
        if (newestFirst.Count > caps.Limit || newestFirst.Any(c => c.Parents.Count() != 1))
        {
            return null; // only a straight line has one order; past the cap git picks and counts
        }

        // git and libgit2 both stop walking excluded history a few commits after only excluded
        // ones remain, judged by commit dates, and stop differently: with clock skew, a commit an
        // excluded tip reaches through older-dated commits is listed by one and not the other. The
        // line's base (or, for nothing new, the tip) must itself be an excluded id, and git's own
        // walk, mirrored, must list the same commits.
        var edge = newestFirst.Count == 0 ? tip : newestFirst[^1].Parents.Single().Sha;
        if (!hidden.Contains(edge, StringComparer.Ordinal)
            || LimitedWalk.Listed(repository, tip, hidden) is not { } listed || !listed.SetEquals(newestFirst.Select(c => c.Sha)))
        {
            return null;
        }

        var kept = new KeptCommits(caps.KeepBytes, oldTip);
        for (var i = newestFirst.Count - 1; i >= 0; i--)
        {
            var commit = newestFirst[i];
            var parent = commit.Parents.Single();
            if (LooseObject.Read(gitDirectory, commit.Sha, "commit") is not { } raw
                || RawCommit.Read(commit.Sha, raw, caps.MaxMessageBytes) is not { } read
                || read.Fields[1] != parent.Sha || read.Fields[6] != commit.Tree.Sha
                || FirstParentDiff.Between(repository, parent.Tree, commit.Tree) is not { } files)
            {
                return null;
            }

            var logged = LoggedCommit.FromFields(read.Fields, read.MessageTruncated);
            foreach (var (status, path) in files)
            {
                logged.AddFile(status, path, caps.MaxFiles);
            }

            kept.Add(logged);
        }

        return kept.ToListing();
    }
}
