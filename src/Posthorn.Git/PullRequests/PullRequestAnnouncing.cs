using System.Globalization;
using Microsoft.Extensions.Logging;
using Posthorn.Core.PullRequests;
using Posthorn.Core.Repositories;
using Posthorn.Git.Processes;

namespace Posthorn.Git.PullRequests;

/// <summary>
/// Prepares the event a pull-request change announces (<see cref="PullRequestAnnouncement"/>), which
/// the store then queues in the change's own transaction. The announcer has no git access, so the
/// source's commit count (GitHub's <c>pull_request.commits</c>) is counted here, before the change:
/// destination..source as the change will record them, which still holds after a merge. Thread-safe.
/// </summary>
public sealed partial class PullRequestAnnouncing(
    IPullRequestAnnouncer announcer, IRepositoryFolders folders, GitRunner runner, TimeProvider time, ILogger<PullRequestAnnouncing> logger)
{
    /// <param name="destinationCommit">The destination commit the pull request will record.</param>
    /// <param name="sourceCommit">The source commit the pull request will record.</param>
    public async Task<PullRequestAnnouncement> PrepareAsync(
        PullRequestEventKind kind, Repository repository, string actor, string destinationCommit, string sourceCommit, CancellationToken ct)
    {
        var commits = await CountCommitsAsync(repository, kind, destinationCommit, sourceCommit, ct).ConfigureAwait(false);
        var at = time.GetUtcNow();
        return changed => announcer.Compose(new PullRequestEvent(kind, repository, changed, actor, at, commits));
    }

    /// <summary>null when git cannot count (the document then omits the count rather than the event being lost).</summary>
    private async Task<int?> CountCommitsAsync(Repository repository, PullRequestEventKind kind, string destinationCommit, string sourceCommit, CancellationToken ct)
    {
        var directory = folders.PathOf(repository.Owner, repository.Slug);
        try
        {
            var text = await runner.ReadTextAsync(
                new GitInvocation(["rev-list", "--count", $"{destinationCommit}..{sourceCommit}"])
                {
                    WorkingDirectory = directory,
                    Environment = GitEnvironment.ForRepository(directory),
                },
                ct).ConfigureAwait(false);
            return int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : null;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            LogNotCounted(logger, e, kind, repository.FullName);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Counting the commits of a {Kind} event of {Repository} failed; the event is sent without the count")]
    private static partial void LogNotCounted(ILogger logger, Exception exception, PullRequestEventKind kind, string repository);
}
