using Posthorn.Core.Repositories;

namespace Posthorn.Core.PullRequests;

/// <summary>
/// One event to announce: the pull request as it is after the change, and who caused it
/// (<see cref="Actor"/> is a username; "" when unknown, e.g. merged outside Posthorn by a recovered push).
/// </summary>
public sealed record PullRequestEvent(PullRequestEventKind Kind, Repository Repository, PullRequest PullRequest, string Actor, DateTimeOffset At);
