namespace Posthorn.Core.Pushes;

/// <summary>An accepted push: who pushed, when, and the ref updates git applied.</summary>
public sealed record Push(
    long Id,
    long RepositoryId,
    string Pusher,
    DateTimeOffset PushedAt,
    IReadOnlyList<RefUpdate> RefUpdates,
    int CommitCount);
