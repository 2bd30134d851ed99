namespace Posthorn.Core.Deliveries;

/// <summary>What one HTTP request told us (after ASP.NET WebHooks' named outcomes).</summary>
public enum AttemptOutcome
{
    /// <summary>2xx.</summary>
    Succeeded = 0,

    /// <summary>Connection error, timeout, 5xx, 429, 3xx and other non-2xx: try again later.</summary>
    RetryableFailure = 1,

    /// <summary>Nothing was sent and retrying cannot help (refused target, invalid URL).</summary>
    PermanentFailure = 2,

    /// <summary>410 Gone: the receiver asked us to stop; the service is disabled.</summary>
    Gone = 3,
}
