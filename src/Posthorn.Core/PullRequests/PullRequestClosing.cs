namespace Posthorn.Core.PullRequests;

/// <summary>
/// Closes an open pull request: <see cref="PullRequestState.Merged"/> with its merge commit and the
/// destination tip it was merged into, or <see cref="PullRequestState.Declined"/> (commits unchanged,
/// so both are null). <see cref="ClosedBy"/> is a username, "" when unknown.
/// </summary>
public sealed record PullRequestClosing(
    long RepositoryId,
    long Id,
    PullRequestState State,
    string? MergeCommit,
    string? DestinationCommit,
    string ClosedBy,
    DateTimeOffset At);
