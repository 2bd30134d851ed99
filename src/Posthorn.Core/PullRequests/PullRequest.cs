namespace Posthorn.Core.PullRequests;

/// <summary>
/// A request to merge <see cref="SourceBranch"/> into <see cref="DestinationBranch"/> of the same
/// repository. <see cref="Id"/> is the number within the repository (1, 2, ...). The commits are the
/// branch tips as last seen: the source's follows pushes while open, the destination's is the one
/// merged into. <see cref="MergeCommit"/> is set once merged (by Posthorn, or the source tip when it
/// was merged outside Posthorn); <see cref="ClosedBy"/> is the username who merged or declined
/// ("" when merged outside Posthorn by an unknown pusher).
/// </summary>
public sealed record PullRequest(
    long RepositoryId,
    long Id,
    string Title,
    string Description,
    string Author,
    PullRequestState State,
    string SourceBranch,
    string SourceCommit,
    string DestinationBranch,
    string DestinationCommit,
    string? MergeCommit,
    string? ClosedBy,
    DateTimeOffset? ClosedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
