using Posthorn.Core.Pushes;
using Posthorn.Core.Repositories;

namespace Posthorn.Core.Payloads;

/// <summary>
/// Everything needed to describe a push. <see cref="TipsBeforePush"/> are the object ids the counted
/// refs pointed at before the push (<see cref="Pushes.CountedTips"/>: a git repository's branches): a
/// commit is new when none of them reaches it. <see cref="Recovered"/>
/// marks refs found moved by reconciliation rather than by a request (the pusher is then unknown, "").
/// </summary>
public sealed record PayloadRequest(
    Repository Repository,
    string GitDirectory,
    string Pusher,
    IReadOnlyList<RefUpdate> RefUpdates,
    IReadOnlyCollection<string> TipsBeforePush,
    string CanonUrl,
    bool Recovered = false);
