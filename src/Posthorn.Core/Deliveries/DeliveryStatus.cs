namespace Posthorn.Core.Deliveries;

public enum DeliveryStatus
{
    /// <summary>Queued or between retries (also while its service is paused or disabled).</summary>
    Pending = 0,
    Succeeded = 1,

    /// <summary>The retry schedule ran out, or the receiver answered a permanent failure. Redeliver re-queues it.</summary>
    Failed = 2,
}
