using Posthorn.Git.Processes;

namespace Posthorn.Git.Mercurial;

/// <summary>
/// An hg killed inside its transaction (its server was killed, the orphan swept) leaves
/// .hg/store/journal behind, and Mercurial refuses every later write until "hg recover" rolls the
/// half-written data back. Readers never saw that data (the changelog is written last), so
/// recovering loses nothing that was announced. Run under the repository's receive lock.
/// </summary>
public static class HgAbandonedTransaction
{
    public static async Task RecoverIfAnyAsync(GitRunner runner, MercurialOptions options, string directory, CancellationToken ct)
    {
        if (!File.Exists(Path.Combine(directory, ".hg", "store", "journal")))
        {
            return;
        }

        await runner.RunCheckedAsync(
            new GitInvocation(["--repository", directory, "recover"]) { Program = options.HgPath, WorkingDirectory = directory, Environment = HgCommand.Environment },
            ct).ConfigureAwait(false);
    }
}
