using System.Net.Http.Headers;
using Posthorn.Core.Deliveries;

namespace Posthorn.Delivery.Sending;

/// <summary>
/// Maps an HTTP answer to a named outcome (after ASP.NET WebHooks): 2xx succeeded; 410 gone (the
/// receiver asks us to stop); anything else is retried. Redirects are never followed (a receiver
/// could bounce us to an internal address), so a 3xx is a failure whose Location is logged for the
/// administrator. 429 and 503 may carry Retry-After (RFC 9110 §10.2.3), honoured up to a cap. Pure.
/// </summary>
public static class ResponseClassifier
{
    public static Classification Classify(int status, Uri? location, RetryConditionHeaderValue? retryAfter, DateTimeOffset now, TimeSpan retryAfterCap)
    {
        if (status is >= 200 and <= 299)
        {
            return new Classification(AttemptOutcome.Succeeded, null, null);
        }

        if (status == 410)
        {
            return new Classification(AttemptOutcome.Gone, null, "Receiver answered 410 Gone: it asks us to stop sending.");
        }

        if (status is >= 300 and <= 399)
        {
            var target = location is null ? "no Location" : $"Location: {location}";
            return new Classification(AttemptOutcome.RetryableFailure, null, $"Receiver answered {status} redirect ({target}); redirects are not followed, update the service URL.");
        }

        var wait = status is 429 or 503 ? RetryAfterOf(retryAfter, now, retryAfterCap) : null;
        var hint = wait is { } w ? $" with Retry-After {w.TotalSeconds:0} s" : string.Empty;
        return new Classification(AttemptOutcome.RetryableFailure, wait, $"Receiver answered {status}{hint}.");
    }

    /// <summary>Retry-After as delta-seconds or an HTTP date, never negative, at most <paramref name="cap"/>.</summary>
    public static TimeSpan? RetryAfterOf(RetryConditionHeaderValue? retryAfter, DateTimeOffset now, TimeSpan cap)
    {
        var wait = retryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - now,
            _ => (TimeSpan?)null,
        };

        if (wait is not { } value)
        {
            return null;
        }

        return value < TimeSpan.Zero ? TimeSpan.Zero : value > cap ? cap : value;
    }
}
