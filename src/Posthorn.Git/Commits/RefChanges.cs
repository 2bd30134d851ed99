using Posthorn.Core.Payloads;
using Posthorn.Core.Pushes;
using Posthorn.Git.Processes;

namespace Posthorn.Git.Commits;

/// <summary>Describes each ref update for the payload's additive <c>ref_changes</c>.</summary>
internal sealed class RefChanges(GitRunner runner, string gitDirectory)
{
    /// <param name="knownFastForwards">Refs already proven to have moved forward, which need no merge-base check.</param>
    public async Task<IReadOnlyList<PayloadRefChange>> DescribeAsync(IReadOnlyList<RefUpdate> updates, IReadOnlySet<string> knownFastForwards, CancellationToken ct)
    {
        var changes = new List<PayloadRefChange>(updates.Count);
        foreach (var update in updates)
        {
            var type = update.IsBranch ? "branch" : update.IsTag ? "tag" : "other";
            var action = update.IsCreate ? "created" : update.IsDelete ? "deleted"
                : knownFastForwards.Contains(update.RefName) ? "updated" : await ClassifyMoveAsync(update, ct).ConfigureAwait(false);
            changes.Add(new PayloadRefChange(update.RefName, update.ShortName, type, update.OldId, update.NewId, action));
        }

        return changes;
    }

    /// <summary>"forced" when the old tip is not an ancestor of the new one (history was rewritten).</summary>
    private async Task<string> ClassifyMoveAsync(RefUpdate update, CancellationToken ct)
    {
        // git-merge-base(1) --is-ancestor: exit 0 yes, 1 no, anything else an error (e.g. the
        // ids are not commits, as with a tag moved to a blob); only a clear "no" counts as forced.
        var result = await runner.RunAsync(
            new GitInvocation(["merge-base", "--is-ancestor", update.OldId, update.NewId])
            {
                WorkingDirectory = gitDirectory,
                Environment = GitEnvironment.ForRepository(gitDirectory),
            },
            ct).ConfigureAwait(false);
        return result.ExitCode == 1 ? "forced" : "updated";
    }
}
