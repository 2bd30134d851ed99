using Posthorn.Core.Pushes;
using Posthorn.Git.Processes;

namespace Posthorn.Git.Refs;

/// <summary>
/// Undoes applied ref updates when a push could not be recorded, so a push is never applied
/// without being recorded. Each line is a compare-and-swap against the value the push set:
/// if anything moved the ref since, git refuses the whole batch instead of clobbering it.
/// </summary>
public sealed class RefRestorer(GitRunner runner)
{
    public async Task RestoreAsync(string gitDirectory, IReadOnlyList<RefUpdate> updates, CancellationToken ct)
    {
        // git-update-ref(1) --stdin: "update <ref> <new> <old>", "create <ref> <new>", "delete <ref> <old>";
        // one invocation is one transaction.
        var lines = updates.Select(u =>
            u.IsCreate ? $"delete {u.RefName} {u.NewId}"
            : u.IsDelete ? $"create {u.RefName} {u.OldId}"
            : $"update {u.RefName} {u.OldId} {u.NewId}");
        await runner.RunCheckedAsync(
            new GitInvocation(["update-ref", "--stdin"])
            {
                WorkingDirectory = gitDirectory,
                Environment = GitEnvironment.ForRepository(gitDirectory),
                Stdin = GitOutput.Lines(lines),
            },
            ct).ConfigureAwait(false);
    }
}
