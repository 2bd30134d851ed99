namespace Posthorn.Core.Pushes;

/// <summary>A push just recorded, with the deliveries queued for it in the same transaction.</summary>
public sealed record RecordedPush(Push Push, IReadOnlyList<Guid> DeliveryIds)
{
    /// <summary>The pull request the push closed (<see cref="NewPush.Closes"/>) as stored; null when none, or when it was no longer open.</summary>
    public PullRequests.PullRequest? Closed { get; init; }
}
