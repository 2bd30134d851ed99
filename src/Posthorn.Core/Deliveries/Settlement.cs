namespace Posthorn.Core.Deliveries;

/// <summary>An attempt to record and where it leaves its delivery: pending again at <see cref="NextAttemptAt"/>, succeeded or failed.</summary>
public sealed record Settlement(Attempt Attempt, DeliveryStatus Status, DateTimeOffset? NextAttemptAt);
