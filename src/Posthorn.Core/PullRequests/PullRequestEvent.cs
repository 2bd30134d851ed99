using Posthorn.Core.Repositories;

namespace Posthorn.Core.PullRequests;

/// <summary>
/// One event to announce: the pull request as it is after the change, and who caused it
/// (<see cref="Actor"/> is a username; "" when unknown, e.g. merged outside Posthorn by a recovered push).
/// <see cref="Commits"/> is how many commits the source has that the destination (as recorded) lacks;
/// null when it could not be counted (the GitHub document then leaves <c>commits</c> out).
/// </summary>
public sealed record PullRequestEvent(PullRequestEventKind Kind, Repository Repository, PullRequest PullRequest, string Actor, DateTimeOffset At, int? Commits = null);
