namespace Posthorn.Core.Deliveries;

/// <summary>
/// One HTTP request made for a delivery, as shown to administrators. Headers are stored as
/// "Name: value" lines with credentials and signatures already masked; bodies are truncated.
/// </summary>
public sealed record Attempt(
    Guid DeliveryId,
    int Number,
    string NodeId,
    DateTimeOffset StartedAt,
    TimeSpan Duration,
    string RequestUrl,
    string RequestHeaders,
    string RequestBody,
    int? ResponseStatus,
    string? ResponseHeaders,
    string? ResponseBody,
    string? Error,
    AttemptOutcome Outcome);
