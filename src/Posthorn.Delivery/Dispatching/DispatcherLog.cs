using Microsoft.Extensions.Logging;
using Posthorn.Core.Deliveries;

namespace Posthorn.Delivery.Dispatching;

/// <summary>The dispatcher's log lines. URLs are never logged here; ids are enough to find the masked record.</summary>
internal static partial class DispatcherLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery dispatcher started on node {NodeId} (concurrency {MaxConcurrency})")]
    public static partial void Started(ILogger logger, string nodeId, int maxConcurrency);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Claiming due deliveries failed; retrying shortly")]
    public static partial void ClaimFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {Count} attempts failed (try {Try}); retrying shortly")]
    public static partial void SettleFailed(ILogger logger, int count, int @try, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Giving up recording {Count} attempts at shutdown; their leases expire and they will be sent again")]
    public static partial void SettleAbandoned(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database refused a value in {Count} attempts; recording them in two halves, so the refused record cannot hold up the rest")]
    public static partial void SettleSplit(ILogger logger, int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The database refused a value in attempt {Number} of delivery {DeliveryId}; it is recorded without its headers, bodies and error text")]
    public static partial void RecordedWithoutText(ILogger logger, Guid deliveryId, int number, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The database refused attempt {Number} of delivery {DeliveryId} even without its text; it is not recorded, and the delivery is sent again when its lease runs out")]
    public static partial void RecordGivenUp(ILogger logger, Guid deliveryId, int number, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lease on delivery {DeliveryId} was lost before its attempt was recorded; another node owns it")]
    public static partial void LeaseLost(ILogger logger, Guid deliveryId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sending delivery {DeliveryId} failed unexpectedly")]
    public static partial void SendCrashed(ILogger logger, Guid deliveryId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Post service {ServiceId} paused until {Until} after {Failures} consecutive failed attempts")]
    public static partial void ServicePaused(ILogger logger, long serviceId, DateTimeOffset until, int failures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Post service {ServiceId} disabled: {Reason}")]
    public static partial void ServiceDisabled(ILogger logger, long serviceId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Updating the health of post service {ServiceId} failed")]
    public static partial void HealthFailed(ILogger logger, long serviceId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId} failed for good after attempt {Number}: {Outcome}")]
    public static partial void DeliveryFailed(ILogger logger, Guid deliveryId, int number, AttemptOutcome outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId} not sent: {LeftMs} ms of its lease left, an attempt needs up to {NeededMs} ms (node overloaded?); lease given back")]
    public static partial void LeaseTooShort(ILogger logger, Guid deliveryId, long leftMs, long neededMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Giving back the lease on delivery {DeliveryId} failed; it expires on its own")]
    public static partial void ReleaseFailed(ILogger logger, Guid deliveryId, Exception exception);
}
