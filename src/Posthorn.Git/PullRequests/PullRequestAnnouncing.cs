using Microsoft.Extensions.Logging;
using Posthorn.Core.PullRequests;
using Posthorn.Core.Repositories;

namespace Posthorn.Git.PullRequests;

/// <summary>
/// Hands a stored pull-request change to the <see cref="IPullRequestAnnouncer"/>. The change is already
/// stored when this runs, so a failure to announce is logged (an error an operator sees) and does not
/// undo or fail it. Thread-safe.
/// </summary>
public sealed partial class PullRequestAnnouncing(IPullRequestAnnouncer announcer, TimeProvider time, ILogger<PullRequestAnnouncing> logger)
{
    public async Task AnnounceAsync(PullRequestEventKind kind, Repository repository, PullRequest pullRequest, string actor, CancellationToken ct)
    {
        try
        {
            await announcer.AnnounceAsync(new PullRequestEvent(kind, repository, pullRequest, actor, time.GetUtcNow()), ct).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            LogFailed(logger, e, kind, pullRequest.Id, repository.FullName);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Announcing {Kind} of pull request #{Id} of {Repository} failed; the change is stored but its services were not told")]
    private static partial void LogFailed(ILogger logger, Exception exception, PullRequestEventKind kind, long id, string repository);
}
