using Posthorn.Git.Processes;

namespace Posthorn.Git.PullRequests;

/// <summary>One ref's current commit, read with rev-parse (null when the ref does not exist).</summary>
public sealed class BranchTips(GitRunner runner)
{
    public async Task<string?> TipAsync(string directory, string refName, CancellationToken ct)
    {
        var tip = "";
        var result = await runner.RunAsync(
            new GitInvocation(["rev-parse", "--verify", "--quiet", refName + "^{commit}"])
            {
                WorkingDirectory = directory,
                Environment = GitEnvironment.ForRepository(directory),
                Stdout = async (stdout, token) =>
                {
                    using var reader = new StreamReader(stdout, leaveOpen: true);
                    tip = await reader.ReadToEndAsync(token).ConfigureAwait(false);
                },
            },
            ct).ConfigureAwait(false);
        return result.Succeeded ? tip.Trim() : null;
    }
}
