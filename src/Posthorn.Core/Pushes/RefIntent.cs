namespace Posthorn.Core.Pushes;

/// <summary>
/// A ref move that git announced before making it (the reference-transaction hook's "prepared"
/// state), journaled durably so that no ref moves without a trace of who was moving it.
/// </summary>
public sealed record RefIntent(string Pusher, RefUpdate Update)
{
    /// <summary>The pull request this move merges, when Posthorn made it as a merge; null otherwise.</summary>
    public long? PullRequestId { get; init; }
}
