namespace Posthorn.Core.PullRequests;

/// <summary>What opening a pull request stores; the commits are the branch tips when it was opened.</summary>
public sealed record NewPullRequest(
    long RepositoryId,
    string Title,
    string Description,
    string Author,
    string SourceBranch,
    string SourceCommit,
    string DestinationBranch,
    string DestinationCommit);
