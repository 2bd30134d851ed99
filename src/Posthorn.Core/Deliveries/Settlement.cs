namespace Posthorn.Core.Deliveries;

/// <summary>An attempt to record and where it leaves its delivery: pending again at <see cref="NextAttemptAt"/>, succeeded or failed.</summary>
public sealed record Settlement(Attempt Attempt, DeliveryStatus Status, DateTimeOffset? NextAttemptAt)
{
    /// <summary>
    /// The end of the lease the attempt was sent under. A settlement recorded late (its writes failed
    /// until the lease ran out) must not touch a later lease the same node took on the delivery since:
    /// that lease's end is later, so the move finds nothing. Null: not checked.
    /// </summary>
    public DateTimeOffset? LeaseUntil { get; init; }

    /// <summary>
    /// The delivery's round when it was claimed (<see cref="ClaimedDelivery.Round"/>). A redelivery asked
    /// for while the attempt was under way starts a new round; the attempt is still recorded, but the
    /// delivery keeps the redelivery's state (pending, due now) instead of the one planned from the old
    /// round, which could have been "failed". Null: not checked.
    /// </summary>
    public int? Round { get; init; }
}
