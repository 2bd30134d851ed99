using Posthorn.Core.Deliveries;

namespace Posthorn.Delivery.Sending;

/// <summary>What a response means: its outcome, the receiver's requested wait (capped) and an error text for the log.</summary>
public sealed record Classification(AttemptOutcome Outcome, TimeSpan? RetryAfter, string? Error);
