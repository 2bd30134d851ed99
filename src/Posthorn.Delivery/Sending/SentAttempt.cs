using Posthorn.Core.Deliveries;

namespace Posthorn.Delivery.Sending;

/// <summary>A recorded attempt plus what the receiver asked about the next one (Retry-After, already capped).</summary>
public sealed record SentAttempt(Attempt Attempt, TimeSpan? RetryAfter);
