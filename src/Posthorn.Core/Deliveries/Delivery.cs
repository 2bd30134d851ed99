namespace Posthorn.Core.Deliveries;

/// <summary>
/// One payload owed to one post service. <see cref="Id"/> is sent as the delivery id header and
/// the Standard Webhooks webhook-id; it never changes across retries or redeliveries, so receivers
/// can de-duplicate. <see cref="AttemptCount"/> numbers attempts over the delivery's whole life;
/// <see cref="RoundAttempts"/> counts those since it was last queued and drives the retry schedule.
/// </summary>
public sealed record Delivery(
    Guid Id,
    long ServiceId,
    long RepositoryId,
    long? PushId,
    string Event,
    DeliveryStatus Status,
    int AttemptCount,
    int RoundAttempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset? CompletedAt,
    int? LastResponseStatus,
    string? LastError);
