using Posthorn.Git.Processes;
using Posthorn.Git.Refs;

namespace Posthorn.Git.PullRequests;

/// <summary>
/// refs/pull/{id}/head, which follows an open pull request's source branch so its commits stay
/// fetchable (and unpruned) after the branch is deleted. Moved only under the receive lock; the ref
/// reader leaves the namespace out, so reconciliation never announces these moves as pushes.
/// </summary>
public sealed class PullRequestRef(GitRunner runner)
{
    public static string NameOf(long id) => $"{GitRefReader.PullRequestRefs}{id}/head";

    public Task SetAsync(string directory, long id, string commit, CancellationToken ct) =>
        runner.RunCheckedAsync(
            new GitInvocation(["update-ref", "-m", "posthorn: pull request source", NameOf(id), commit])
            {
                WorkingDirectory = directory,
                Environment = GitEnvironment.ForRepository(directory),
            },
            ct);
}
