using Posthorn.Core.Repositories;

namespace Posthorn.Core.Payloads;

/// <summary>
/// Everything a push payload document may hold. <see cref="CommitCount"/> is the true number of new
/// commits; <see cref="Commits"/> lists at most <see cref="CommitLimit"/> of them, and the writer
/// may list fewer still (and fewer <see cref="RefChanges"/>) to keep the document within its bytes.
/// These are the format-neutral facts of a push: every format's document is written from them.
/// Commits are in a topological order (parents first) and each names the one branch it is listed under.
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
    /// <summary>The repository's default branch (what HEAD names, "main"), or null when unknown.</summary>
    public string? DefaultBranch { get; init; }

    /// <summary>The pusher's e-mail when the pusher is a known account (GitHub's <c>pusher.email</c>), else null.</summary>
    public string? PusherEmail { get; init; }

    /// <summary>The byte cap every document written from these facts keeps to (Payload:MaxBytes).</summary>
    public long MaxBytes { get; init; } = 256 * 1024;
}
