using Posthorn.Core.Repositories;

namespace Posthorn.Core.Payloads;

/// <summary>
/// Everything in a push payload document. <see cref="CommitCount"/> is the true number of new
/// commits; <see cref="Commits"/> lists at most <see cref="CommitLimit"/> of them.
/// </summary>
public sealed record PushPayload(
    Repository Repository,
    string CanonUrl,
    string User,
    IReadOnlyList<PayloadCommit> Commits,
    IReadOnlyList<PayloadRefChange> RefChanges,
    int CommitCount,
    int CommitLimit,
    bool Recovered = false)
{
    public bool Truncated => CommitCount > Commits.Count;
}
