namespace Posthorn.Core.Deliveries;

/// <summary>
/// The durable delivery queue: the rows are the queue. Every state change is one conditional
/// UPDATE; a claim is a lease that expires, so a node that dies mid-delivery loses nothing.
/// </summary>
public interface IDeliveryStore
{
    /// <summary>Queues a delivery that carries its own payload (a ping), due now.</summary>
    Task<Delivery> EnqueueAsync(long serviceId, string eventName, string payload, DateTimeOffset now, CancellationToken ct);

    /// <summary>
    /// Queues a delivery that carries its own payload (a ping) already claimed by <paramref name="nodeId"/>
    /// until <paramref name="now"/> + <paramref name="lease"/>, in one transaction, so the caller sends it
    /// and no dispatcher can take it first.
    /// </summary>
    Task<ClaimedDelivery> EnqueueClaimedAsync(long serviceId, string eventName, string payload, string nodeId, DateTimeOffset now, TimeSpan lease, CancellationToken ct);

    /// <summary>
    /// Leases up to <paramref name="max"/> pending deliveries that are due, unleased (or whose lease
    /// expired), and whose service is active, not paused and not disabled. Oldest due first. Of a
    /// service whose pause has ended and that has not succeeded since (half-open), only the oldest is
    /// leased, marked <see cref="ClaimedDelivery.IsProbe"/>, and the service is held until the probe
    /// settles: no claim anywhere takes its other deliveries meanwhile.
    /// </summary>
    Task<IReadOnlyList<ClaimedDelivery>> ClaimDueAsync(string nodeId, DateTimeOffset now, TimeSpan lease, int max, CancellationToken ct) =>
        ClaimDueAsync(nodeId, now, lease, max, ServiceShare.Unlimited, ct);

    /// <summary>
    /// As above, taking at most <see cref="ServiceShare.Remaining"/> deliveries of each service and
    /// <see cref="ServiceShare.RemainingForOwner"/> of each owner's services (the oldest due ones), so
    /// one service or one owner cannot fill the claim while others wait (issue 3).
    /// </summary>
    Task<IReadOnlyList<ClaimedDelivery>> ClaimDueAsync(string nodeId, DateTimeOffset now, TimeSpan lease, int max, ServiceShare share, CancellationToken ct);

    /// <summary>
    /// Gives back leases <paramref name="nodeId"/> still holds without recording an attempt, so the
    /// deliveries can be claimed again at once (a node that cannot send in time within its lease).
    /// </summary>
    Task ReleaseAsync(string nodeId, IReadOnlyList<Guid> deliveryIds, CancellationToken ct) => ReleaseAsync(nodeId, deliveryIds, null, ct);

    /// <summary>As <see cref="ReleaseAsync(string, IReadOnlyList{Guid}, CancellationToken)"/>, only the leases that end at <paramref name="leaseUntil"/> (null: any).</summary>
    /// <remarks>A node gives back the lease it sent under, not a later one it took on the same delivery since.</remarks>
    Task ReleaseAsync(string nodeId, IReadOnlyList<Guid> deliveryIds, DateTimeOffset? leaseUntil, CancellationToken ct);

    /// <summary>Leases one delivery now, whatever its due time or its service's state (test pings sent inline).</summary>
    Task<ClaimedDelivery?> ClaimAsync(Guid deliveryId, string nodeId, DateTimeOffset now, TimeSpan lease, CancellationToken ct);

    /// <summary>
    /// Records each attempt and moves its delivery on, only where <paramref name="nodeId"/> still holds
    /// the lease; updates the service's health counters (success resets the consecutive failures and
    /// clears any pause, any other outcome adds one). Returns, per settlement, the service's consecutive failures after
    /// it and the status the delivery was left in (see <see cref="SettledDelivery"/>), or null where the lease had been
    /// lost (nothing written for that one).
    /// </summary>
    Task<IReadOnlyList<SettledDelivery?>> SettleAsync(string nodeId, IReadOnlyList<Settlement> settlements, CancellationToken ct);

    /// <summary>The earliest time any pending delivery could be claimed (taking pauses into account), or null when none.</summary>
    Task<DateTimeOffset?> NextDueAtAsync(CancellationToken ct);

    /// <summary>Deliveries still to be sent, of every service (queued, retrying or leased): one count, however deep the queue.</summary>
    Task<long> CountPendingAsync(CancellationToken ct);

    /// <summary>Newest first; <paramref name="beforeId"/> pages (ids sort by creation time).</summary>
    Task<IReadOnlyList<Delivery>> ListDeliveriesAsync(long serviceId, DeliveryStatus? status, int limit, Guid? beforeId, CancellationToken ct);

    Task<DeliveryDetail?> FindDeliveryAsync(long serviceId, Guid deliveryId, CancellationToken ct);

    /// <summary>Queues the delivery again, due now, with the same id and a fresh retry schedule.</summary>
    Task<bool> RedeliverAsync(long serviceId, Guid deliveryId, DateTimeOffset now, CancellationToken ct);

    /// <summary>Re-queues every failed delivery of the service created at or after <paramref name="since"/>; returns how many.</summary>
    Task<int> RedeliverFailedSinceAsync(long serviceId, DateTimeOffset since, DateTimeOffset now, CancellationToken ct);

    /// <summary>Deletes finished deliveries (and attempts) completed before <paramref name="olderThan"/>. Pending ones are never pruned.</summary>
    Task<int> PruneAsync(DateTimeOffset olderThan, CancellationToken ct);
}
