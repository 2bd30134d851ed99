using Posthorn.Core.Repositories;

namespace Posthorn.Core.Pushes;

/// <summary>
/// "These refs of this repository moved from A to B": what every source of ref moves (a git push,
/// reconciliation, later merges made by Posthorn) hands to <see cref="PushIntake"/>.
/// <see cref="TipsBefore"/> are the objects the counted refs pointed at before the move
/// (<see cref="CountedTips"/>: a git repository's branches): a commit is new when none of them reaches it. A <see cref="Recovered"/> move was found on disk, not received.
/// </summary>
public sealed record RefsMoved(
    Repository Repository,
    string Directory,
    string Pusher,
    IReadOnlyList<RefUpdate> Updates,
    IReadOnlyCollection<string> TipsBefore,
    bool Recovered = false)
{
    /// <summary>The pull request these moves merge, closed with the push (<see cref="NewPush.Closes"/>).</summary>
    public PullRequests.PullRequestClosing? Closes { get; init; }

    /// <summary>The event of <see cref="Closes"/>.</summary>
    public PullRequests.PullRequestAnnouncement? ClosingAnnouncement { get; init; }
}
