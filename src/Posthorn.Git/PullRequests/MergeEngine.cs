using System.Globalization;
using Posthorn.Core.PullRequests;
using Posthorn.Git.Processes;

namespace Posthorn.Git.PullRequests;

/// <summary>
/// Merges on the bare repository, without a working tree (git ≥ 2.38): <c>git merge-tree --write-tree</c>
/// computes the merged tree (exit 1 and the conflicting paths when it cannot), <c>git commit-tree</c>
/// writes the commit. Neither moves a ref: the caller swaps the destination with a compare-and-swap
/// update-ref under the receive lock. Objects written for a merge that is then refused are unreachable
/// and left to gc. Thread-safe.
/// </summary>
public sealed class MergeEngine(GitRunner runner, TimeProvider time)
{
    /// <summary>
    /// The paths that conflict when <paramref name="sourceTip"/> is merged into <paramref name="destinationTip"/>
    /// (none: mergeable). For page views: the trees merge-tree writes go to a scratch object directory
    /// (the repository's objects as an alternate), so looking never adds objects to the repository.
    /// </summary>
    public async Task<IReadOnlyList<string>> ConflictsAsync(string directory, string destinationTip, string sourceTip, CancellationToken ct)
    {
        var scratch = Directory.CreateTempSubdirectory("posthorn-merge-check-");
        try
        {
            var environment = new Dictionary<string, string>(GitEnvironment.ForRepository(directory))
            {
                ["GIT_OBJECT_DIRECTORY"] = scratch.FullName,
                ["GIT_ALTERNATE_OBJECT_DIRECTORIES"] = Path.Combine(Path.GetFullPath(directory), "objects"),
            };
            return (await MergeTreeAsync(directory, destinationTip, sourceTip, environment, ct).ConfigureAwait(false)).Conflicts;
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    public async Task<MergeOutcome> MergeAsync(
        string directory, string destinationTip, string sourceTip, MergeStrategy strategy, string message, MergeIdentity identity, CancellationToken ct)
    {
        if (strategy == MergeStrategy.FastForward)
        {
            return await IsAncestorAsync(directory, destinationTip, sourceTip, ct).ConfigureAwait(false)
                ? new MergeOutcome(sourceTip, [])
                : new MergeOutcome(null, []) { CanFastForward = false };
        }

        var (tree, conflicts) = await MergeTreeAsync(directory, destinationTip, sourceTip, GitEnvironment.ForRepository(directory), ct).ConfigureAwait(false);
        if (conflicts.Count > 0)
        {
            return new MergeOutcome(null, conflicts);
        }

        string[] parents = strategy == MergeStrategy.Squash ? ["-p", destinationTip] : ["-p", destinationTip, "-p", sourceTip];
        var commit = await runner.ReadTextAsync(
            new GitInvocation(["commit-tree", tree!, .. parents, "-F", "-"])
            {
                WorkingDirectory = directory,
                Environment = CommitEnvironment(directory, identity),
                Stdin = GitOutput.Lines([message]),
            },
            ct).ConfigureAwait(false);
        return new MergeOutcome(commit.Trim(), []);
    }

    /// <summary>True when <paramref name="ancestor"/> is reachable from <paramref name="descendant"/> (git merge-base --is-ancestor: 0 yes, 1 no).</summary>
    public async Task<bool> IsAncestorAsync(string directory, string ancestor, string descendant, CancellationToken ct)
    {
        var result = await runner.RunAsync(
            new GitInvocation(["merge-base", "--is-ancestor", ancestor, descendant]) { WorkingDirectory = directory, Environment = GitEnvironment.ForRepository(directory) },
            ct).ConfigureAwait(false);
        return result.ExitCode switch
        {
            0 => true,
            1 => false,
            _ => throw new GitCommandException("merge-base", result),
        };
    }

    /// <summary>
    /// True when the two commits have a common ancestor (git merge-base: 0 found, 1 none). Without one,
    /// git refuses to merge them ("unrelated histories") and a three-dot diff has no base to start from.
    /// </summary>
    public async Task<bool> ShareHistoryAsync(string directory, string one, string other, CancellationToken ct)
    {
        var result = await runner.RunAsync(
            new GitInvocation(["merge-base", one, other]) { WorkingDirectory = directory, Environment = GitEnvironment.ForRepository(directory) },
            ct).ConfigureAwait(false);
        return result.ExitCode switch
        {
            0 => true,
            1 => false,
            _ => throw new GitCommandException("merge-base", result),
        };
    }

    private async Task<(string? Tree, IReadOnlyList<string> Conflicts)> MergeTreeAsync(
        string directory, string destinationTip, string sourceTip, IReadOnlyDictionary<string, string> environment, CancellationToken ct)
    {
        // git-merge-tree(1): stdout is the tree id, then (with --name-only) one conflicting path per
        // line; exit 0 is clean, 1 is conflicts, anything else is an error.
        var output = "";
        var result = await runner.RunAsync(
            new GitInvocation(["merge-tree", "--write-tree", "--name-only", "--no-messages", destinationTip, sourceTip])
            {
                WorkingDirectory = directory,
                Environment = environment,
                Stdout = async (stdout, token) =>
                {
                    using var reader = new StreamReader(stdout, leaveOpen: true);
                    output = await reader.ReadToEndAsync(token).ConfigureAwait(false);
                },
            },
            ct).ConfigureAwait(false);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return result.ExitCode switch
        {
            0 => (lines[0], []),
            1 => (null, lines.Skip(1).Distinct(StringComparer.Ordinal).ToList()),
            _ => throw new GitCommandException("merge-tree", result),
        };
    }

    private Dictionary<string, string> CommitEnvironment(string directory, MergeIdentity identity)
    {
        // Dates from the injected clock, not git's: "@<seconds> +0000" is git's raw date format.
        var date = "@" + time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + " +0000";
        return new Dictionary<string, string>(GitEnvironment.ForRepository(directory))
        {
            ["GIT_AUTHOR_NAME"] = identity.Username,
            ["GIT_AUTHOR_EMAIL"] = identity.Email,
            ["GIT_AUTHOR_DATE"] = date,
            ["GIT_COMMITTER_NAME"] = identity.Username,
            ["GIT_COMMITTER_EMAIL"] = identity.Email,
            ["GIT_COMMITTER_DATE"] = date,
        };
    }
}
