using System.Diagnostics;
using System.Diagnostics.Metrics;
using Posthorn.Core.Deliveries;

namespace Posthorn.Delivery.Observability;

/// <summary>
/// The delivery side's instruments (meter "Posthorn.Delivery"), exported at /metrics as
/// posthorn_delivery_attempt_duration_seconds, posthorn_delivery_attempts_total{outcome} and
/// posthorn_deliveries_total{outcome}, and the activity source for attempt spans. Static, as
/// System.Diagnostics instruments usually are: recording costs nothing when no listener is attached.
/// </summary>
public static class DeliveryMetrics
{
    public const string Name = "Posthorn.Delivery";

    public static readonly ActivitySource Tracing = new(Name);

    private static readonly Meter Meter = new(Name);

    private static readonly Histogram<double> AttemptDuration = Meter.CreateHistogram<double>(
        "posthorn.delivery.attempt.duration", "s", "How long one POST took, from connecting to the end of the response (or the timeout)",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });

    private static readonly Counter<long> Attempts = Meter.CreateCounter<long>("posthorn.delivery.attempts", null, "Attempts made, by outcome");

    private static readonly Counter<long> Finished = Meter.CreateCounter<long>("posthorn.deliveries", null, "Deliveries finished: succeeded, or failed for good after their last retry");

    /// <summary>One attempt ended (PostSender); a success also finishes its delivery.</summary>
    public static void AttemptMade(AttemptOutcome outcome, TimeSpan duration)
    {
        var name = OutcomeName(outcome);
        AttemptDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("outcome", name));
        Attempts.Add(1, new KeyValuePair<string, object?>("outcome", name));
        if (outcome == AttemptOutcome.Succeeded)
        {
            Finished.Add(1, new KeyValuePair<string, object?>("outcome", "succeeded"));
        }
    }

    /// <summary>A span for one attempt (null when nobody listens), tagged so a trace shows which delivery, push and service it was.</summary>
    public static Activity? StartAttempt(Core.Deliveries.Delivery delivery, long serviceId, int number) =>
        Tracing.StartActivity("delivery attempt", ActivityKind.Client)?
            .SetTag("posthorn.delivery.id", delivery.Id.ToString())
            .SetTag("posthorn.push.id", delivery.PushId)
            .SetTag("posthorn.service.id", serviceId)
            .SetTag("posthorn.attempt.number", number);

    /// <summary>A delivery failed for good (no retry left, a permanent failure or gone).</summary>
    public static void DeliveryFailed() => Finished.Add(1, new KeyValuePair<string, object?>("outcome", "failed"));

    public static string OutcomeName(AttemptOutcome o) => o switch
    {
        AttemptOutcome.Succeeded => "succeeded",
        AttemptOutcome.RetryableFailure => "retryable_failure",
        AttemptOutcome.PermanentFailure => "permanent_failure",
        _ => "gone",
    };
}
