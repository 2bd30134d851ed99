using Posthorn.Core.Repositories;

namespace Posthorn.Core.Payloads;

/// <summary>
/// Everything a push payload document may hold. <see cref="CommitCount"/> is the true number of new
/// commits; <see cref="Commits"/> lists at most <see cref="CommitLimit"/> of them, and the writer
/// may list fewer still (and fewer <see cref="RefChanges"/>) to keep the document within its bytes.
/// </summary>
public sealed record PushPayload(
    Repository Repository,
    string CanonUrl,
    string User,
    IReadOnlyList<PayloadCommit> Commits,
    IReadOnlyList<PayloadRefChange> RefChanges,
    int CommitCount,
    int CommitLimit,
    bool Recovered = false);
