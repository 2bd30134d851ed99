namespace Posthorn.Core.PullRequests;

/// <summary>
/// Turns a pull-request event into durable deliveries for the repository's services that subscribe
/// to it (and whose branch filter matches the destination branch), then wakes the dispatchers.
/// Called after the pull request's new state is stored.
/// </summary>
public interface IPullRequestAnnouncer
{
    Task AnnounceAsync(PullRequestEvent pullRequestEvent, CancellationToken ct);
}
