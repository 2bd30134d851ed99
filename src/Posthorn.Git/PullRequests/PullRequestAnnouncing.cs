using System.Globalization;
using Microsoft.Extensions.Logging;
using Posthorn.Core.PullRequests;
using Posthorn.Core.Repositories;
using Posthorn.Git.Processes;

namespace Posthorn.Git.PullRequests;

/// <summary>
/// Hands a stored pull-request change to the <see cref="IPullRequestAnnouncer"/>. The change is already
/// stored when this runs, so a failure to announce is logged (an error an operator sees) and does not
/// undo or fail it. The announcer has no git access, so the source's commit count (GitHub's
/// <c>pull_request.commits</c>) is counted here: destination..source as recorded, which still holds
/// after a merge. Thread-safe.
/// </summary>
public sealed partial class PullRequestAnnouncing(
    IPullRequestAnnouncer announcer, IRepositoryFolders folders, GitRunner runner, TimeProvider time, ILogger<PullRequestAnnouncing> logger)
{
    public async Task AnnounceAsync(PullRequestEventKind kind, Repository repository, PullRequest pullRequest, string actor, CancellationToken ct)
    {
        try
        {
            var commits = await CountCommitsAsync(repository, pullRequest, ct).ConfigureAwait(false);
            await announcer.AnnounceAsync(new PullRequestEvent(kind, repository, pullRequest, actor, time.GetUtcNow(), commits), ct).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            LogFailed(logger, e, kind, pullRequest.Id, repository.FullName);
        }
    }

    /// <summary>null when git cannot count (the document then omits the count rather than the event being lost).</summary>
    private async Task<int?> CountCommitsAsync(Repository repository, PullRequest pullRequest, CancellationToken ct)
    {
        var directory = folders.PathOf(repository.Owner, repository.Slug);
        try
        {
            var text = await runner.ReadTextAsync(
                new GitInvocation(["rev-list", "--count", $"{pullRequest.DestinationCommit}..{pullRequest.SourceCommit}"])
                {
                    WorkingDirectory = directory,
                    Environment = GitEnvironment.ForRepository(directory),
                },
                ct).ConfigureAwait(false);
            return int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : null;
        }
        catch (GitCommandException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Announcing {Kind} of pull request #{Id} of {Repository} failed; the change is stored but its services were not told")]
    private static partial void LogFailed(ILogger logger, Exception exception, PullRequestEventKind kind, long id, string repository);
}
