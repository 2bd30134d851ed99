namespace Posthorn.Core.PullRequests;

/// <summary>
/// Pull requests of each repository. Every state change is one conditional UPDATE on an open pull
/// request: of two racing closes (a merge and a "merged outside" detection, say) exactly one wins.
/// A change given a <see cref="PullRequestAnnouncement"/> queues its event's deliveries in the same
/// transaction, and wakes the dispatchers once it has committed.
/// </summary>
public interface IPullRequestStore
{
    /// <summary>Stores a new open pull request with the repository's next number (1, 2, ...).</summary>
    Task<PullRequest> CreatePullRequestAsync(NewPullRequest pullRequest, DateTimeOffset at, CancellationToken ct) => CreatePullRequestAsync(pullRequest, at, null, null, ct);

    /// <summary>
    /// As <see cref="CreatePullRequestAsync(NewPullRequest, DateTimeOffset, CancellationToken)"/>, with the event it
    /// announces, after <paramref name="beforeAnnouncing"/> has run inside the transaction with the numbered pull
    /// request (its ref is set there, so no receiver hears of it before the ref exists; if it throws, nothing is stored).
    /// </summary>
    Task<PullRequest> CreatePullRequestAsync(
        NewPullRequest pullRequest, DateTimeOffset at, Func<PullRequest, Task>? beforeAnnouncing, PullRequestAnnouncement? announce, CancellationToken ct);

    Task<PullRequest?> FindPullRequestAsync(long repositoryId, long id, CancellationToken ct);

    /// <summary>Newest first; all states when <paramref name="state"/> is null.</summary>
    Task<IReadOnlyList<PullRequest>> ListPullRequestsAsync(long repositoryId, PullRequestState? state, int limit, CancellationToken ct);

    /// <summary>Moves an open pull request's source commit (its source branch was pushed to).</summary>
    /// <returns>The pull request as stored, or null when it is no longer open.</returns>
    Task<PullRequest?> UpdateSourceAsync(long repositoryId, long id, string sourceCommit, DateTimeOffset at, CancellationToken ct) =>
        UpdateSourceAsync(repositoryId, id, sourceCommit, at, null, ct);

    /// <summary>As <see cref="UpdateSourceAsync(long, long, string, DateTimeOffset, CancellationToken)"/>, with the event it announces (none when it was no longer open).</summary>
    Task<PullRequest?> UpdateSourceAsync(long repositoryId, long id, string sourceCommit, DateTimeOffset at, PullRequestAnnouncement? announce, CancellationToken ct);

    /// <summary>Merges or declines an open pull request.</summary>
    /// <returns>The pull request as stored, or null when it was no longer open (someone else closed it first).</returns>
    Task<PullRequest?> CloseAsync(PullRequestClosing closing, CancellationToken ct) => CloseAsync(closing, null, ct);

    /// <summary>As <see cref="CloseAsync(PullRequestClosing, CancellationToken)"/>, with the event it announces (none when it was no longer open).</summary>
    Task<PullRequest?> CloseAsync(PullRequestClosing closing, PullRequestAnnouncement? announce, CancellationToken ct);
}
