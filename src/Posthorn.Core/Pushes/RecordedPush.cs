namespace Posthorn.Core.Pushes;

/// <summary>A push just recorded, with the deliveries queued for it in the same transaction.</summary>
public sealed record RecordedPush(Push Push, IReadOnlyList<Guid> DeliveryIds);
