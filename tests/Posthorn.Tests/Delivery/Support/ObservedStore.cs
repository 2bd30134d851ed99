using Posthorn.Core.Deliveries;

namespace Posthorn.Tests.Delivery.Support;

/// <summary>
/// The real store with hooks: <see cref="AfterClaim"/> runs when a claim returns (a test advances a
/// fake clock there to play an overloaded node whose claim came back late), and the first lease given
/// back is reported through <see cref="Released"/>.
/// </summary>
public sealed class ObservedStore(IDeliveryStore inner) : IDeliveryStore
{
    public Action<IReadOnlyList<ClaimedDelivery>>? AfterClaim { get; set; }

    /// <summary>Each released id with what <see cref="Witness"/> said just before the lease was given back.</summary>
    public TaskCompletionSource<(Guid Id, int Witnessed)> Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Read just before a release (e.g. the receiver's request count), while the delivery cannot yet be claimed again.</summary>
    public Func<int> Witness { get; set; } = () => 0;

    public async Task<IReadOnlyList<ClaimedDelivery>> ClaimDueAsync(string nodeId, DateTimeOffset now, TimeSpan lease, int max, ServiceShare share, CancellationToken ct)
    {
        var claimed = await inner.ClaimDueAsync(nodeId, now, lease, max, share, ct);
        AfterClaim?.Invoke(claimed);
        return claimed;
    }

    public async Task ReleaseAsync(string nodeId, IReadOnlyList<Guid> deliveryIds, DateTimeOffset? leaseUntil, CancellationToken ct)
    {
        var witnessed = Witness();
        await inner.ReleaseAsync(nodeId, deliveryIds, leaseUntil, ct);
        foreach (var id in deliveryIds)
        {
            Released.TrySetResult((id, witnessed));
        }
    }

    public Task<Core.Deliveries.Delivery> EnqueueAsync(long serviceId, string eventName, string payload, DateTimeOffset now, CancellationToken ct) =>
        inner.EnqueueAsync(serviceId, eventName, payload, now, ct);

    public Task<ClaimedDelivery> EnqueueClaimedAsync(long serviceId, string eventName, string payload, string nodeId, DateTimeOffset now, TimeSpan lease, CancellationToken ct) =>
        inner.EnqueueClaimedAsync(serviceId, eventName, payload, nodeId, now, lease, ct);

    public Task<ClaimedDelivery?> ClaimAsync(Guid deliveryId, string nodeId, DateTimeOffset now, TimeSpan lease, CancellationToken ct) =>
        inner.ClaimAsync(deliveryId, nodeId, now, lease, ct);

    /// <summary>The size of every settlement the store refused (threw for), in order.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<int> RefusedSettlements { get; } = new();

    /// <summary>Runs before each settlement reaches the store.</summary>
    public Func<IReadOnlyList<Settlement>, Task>? BeforeSettle { get; set; }

    public async Task<IReadOnlyList<SettledDelivery?>> SettleAsync(string nodeId, IReadOnlyList<Settlement> settlements, CancellationToken ct)
    {
        if (BeforeSettle is not null)
        {
            await BeforeSettle(settlements);
        }

        try
        {
            return await inner.SettleAsync(nodeId, settlements, ct);
        }
        catch (Exception)
        {
            RefusedSettlements.Enqueue(settlements.Count);
            throw;
        }
    }

    public Task<DateTimeOffset?> NextDueAtAsync(CancellationToken ct) => inner.NextDueAtAsync(ct);

    public Task<long> CountPendingAsync(CancellationToken ct) => inner.CountPendingAsync(ct);

    public Task<IReadOnlyList<Core.Deliveries.Delivery>> ListDeliveriesAsync(long serviceId, DeliveryStatus? status, int limit, Guid? beforeId, CancellationToken ct) =>
        inner.ListDeliveriesAsync(serviceId, status, limit, beforeId, ct);

    public Task<DeliveryDetail?> FindDeliveryAsync(long serviceId, Guid deliveryId, CancellationToken ct) => inner.FindDeliveryAsync(serviceId, deliveryId, ct);

    public Task<bool> RedeliverAsync(long serviceId, Guid deliveryId, DateTimeOffset now, CancellationToken ct) => inner.RedeliverAsync(serviceId, deliveryId, now, ct);

    public Task<int> RedeliverFailedSinceAsync(long serviceId, DateTimeOffset since, DateTimeOffset now, CancellationToken ct) =>
        inner.RedeliverFailedSinceAsync(serviceId, since, now, ct);

    public Task<int> PruneAsync(DateTimeOffset olderThan, CancellationToken ct) => inner.PruneAsync(olderThan, ct);
}
