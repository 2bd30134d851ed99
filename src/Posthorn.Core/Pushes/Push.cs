namespace Posthorn.Core.Pushes;

/// <summary>
/// An accepted push: who pushed, when, and the ref updates git applied. A <see cref="Recovered"/> push
/// was found by reconciliation (refs moved behind Posthorn's back); its pusher is "" when unknown.
/// </summary>
public sealed record Push(
    long Id,
    long RepositoryId,
    string Pusher,
    DateTimeOffset PushedAt,
    IReadOnlyList<RefUpdate> RefUpdates,
    int CommitCount,
    bool Recovered = false);
