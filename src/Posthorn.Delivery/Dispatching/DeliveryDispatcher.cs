using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Posthorn.Core.Deliveries;
using Posthorn.Core.PostServices;
using Posthorn.Delivery.Sending;

namespace Posthorn.Delivery.Dispatching;

/// <summary>
/// Drains the durable queue: claims due deliveries, keeps up to MaxConcurrency sends in flight and
/// refills slots as they free up (never waiting for a whole batch, so one hanging receiver holds one
/// slot, not the node), leases no service more than MaxInFlightPerService and no owner's services more
/// than MaxInFlightPerOwner at once (so a hanging receiver with a deep backlog, or an account with many
/// such services, cannot take every slot either: issue 3), never starts an attempt its lease cannot
/// cover, hands finished attempts to a batching <see cref="SettlementWriter"/>, and
/// sleeps on <see cref="IDeliveryWakeup"/> until the next due time (at most MaxIdle, so expiring pauses
/// and other nodes' retries are noticed). Store errors are logged and retried; they never stop the host.
/// </summary>
public sealed class DeliveryDispatcher : BackgroundService
{
    private static readonly TimeSpan StoreRetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MinIdle = TimeSpan.FromMilliseconds(100);

    private readonly IDeliveryStore store;
    private readonly PostSender sender;
    private readonly IDeliveryWakeup wakeup;
    private readonly TimeProvider time;
    private readonly DeliveryOptions options;
    private readonly ILogger<DeliveryDispatcher> logger;
    private readonly SettlementWriter writer;
    private readonly InFlightSends inFlight = new();
    private readonly Dictionary<long, int> inFlightByService = []; // guarded by itself
    private readonly Dictionary<long, int> inFlightByOwner = []; // guarded by inFlightByService
    private readonly SemaphoreSlim slotFreed = new(0);

    /// <summary>Free slots worth a claim round trip while sends are in flight: a quarter of the batch, at least one.</summary>
    private int RefillThreshold => Math.Max(1, Math.Min(options.ClaimBatch, options.MaxConcurrency) / 4);

    public DeliveryDispatcher(
        IDeliveryStore store, IPostServiceStore services, PostSender sender, IDeliveryWakeup wakeup, SettlementPlanner planner,
        ServiceHealthPolicy health, Random random, TimeProvider time, IOptions<DeliveryOptions> options, ILogger<DeliveryDispatcher> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.store = store;
        this.sender = sender;
        this.wakeup = wakeup;
        this.time = time;
        this.options = options.Value;
        this.logger = logger;
        writer = new SettlementWriter(store, services, planner, health, wakeup, random, time, this.options, logger);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        DispatcherLog.Started(logger, options.NodeId, options.MaxConcurrency);
        var writing = writer.RunAsync(stoppingToken);
        try
        {
            await DispatchAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: sends in flight are cancelled and give their leases back (SendAsync).
        }
        finally
        {
            await inFlight.WhenAllEnded().ConfigureAwait(false);
            writer.Complete();
            await writing.ConfigureAwait(false);
        }
    }

    public override void Dispose()
    {
        slotFreed.Dispose();
        base.Dispose();
    }

    private async Task DispatchAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            // Completions so far are already counted below; only later ones should end an idle wait.
            while (slotFreed.Wait(0))
            {
            }

            // Under load, refill in batches: claiming one row per freed slot turns every finished
            // send into a claim round trip that contends with the settlement writes (issue 6's
            // throughput bench on SQLite). Idle nodes still claim at once: nothing is in flight.
            var free = options.MaxConcurrency - inFlight.Count;
            if (free <= 0 || (free < RefillThreshold && !inFlight.IsEmpty))
            {
                await slotFreed.WaitAsync(stopping).ConfigureAwait(false);
                continue;
            }

            var wanted = Math.Min(free, options.ClaimBatch);
            IReadOnlyList<ClaimedDelivery> claimed;
            try
            {
                claimed = await store.ClaimDueAsync(options.NodeId, time.GetUtcNow(), options.Lease, wanted, CurrentShare(), stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested)
            {
                DispatcherLog.ClaimFailed(logger, ex);
                await Task.Delay(StoreRetryDelay, time, stopping).ConfigureAwait(false);
                continue;
            }

            foreach (var delivery in claimed)
            {
                lock (inFlightByService)
                {
                    inFlightByService[delivery.Service.Id] = inFlightByService.GetValueOrDefault(delivery.Service.Id) + 1;
                    inFlightByOwner[delivery.OwnerId] = inFlightByOwner.GetValueOrDefault(delivery.OwnerId) + 1;
                }

                inFlight.Start(delivery, () => SendAsync(delivery, stopping));
            }

            // A claim that took something loops at once: it came back short because services or owners
            // reached their share, and the next claim (or a freed slot) tells more than NextDueAt,
            // which reads every pending row. Only an empty claim asks when to look again.
            if (claimed.Count == 0)
            {
                await IdleAsync(claimed.Count, stopping).ConfigureAwait(false);
            }
        }
    }

    private async Task SendAsync(ClaimedDelivery claimed, CancellationToken stopping)
    {
        try
        {
            if (!claimed.LeaseCovers(time.GetUtcNow(), options.AttemptTimeout, options.LeaseMargin))
            {
                await ReleaseAsync(claimed).ConfigureAwait(false);
                return;
            }

            writer.Add(claimed, await sender.SendAsync(claimed, stopping).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down mid-attempt: nothing recorded, and the lease is given back so this or
            // another node sends it again at once rather than when the lease runs out (at-least-once).
            await ReleaseAsync(claimed, shuttingDown: true).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            DispatcherLog.SendCrashed(logger, claimed.Delivery.Id, ex);
        }
        finally
        {
            inFlight.Remove(claimed);
            lock (inFlightByService)
            {
                Decrement(inFlightByService, claimed.Service.Id);
                Decrement(inFlightByOwner, claimed.OwnerId);
            }

            slotFreed.Release();
        }
    }

    private static void Decrement(Dictionary<long, int> counts, long key)
    {
        var left = counts[key] - 1;
        if (left == 0)
        {
            counts.Remove(key);
        }
        else
        {
            counts[key] = left;
        }
    }

    /// <summary>
    /// The claim came back (or this task got a thread) too late for an attempt to end inside the
    /// lease: sending now could overlap another node's attempt once the lease runs out, so the
    /// delivery is given back unsent and claimed again, by this node or another, with a fresh lease.
    /// </summary>
    private async Task ReleaseAsync(ClaimedDelivery claimed, bool shuttingDown = false)
    {
        if (!shuttingDown)
        {
            var left = claimed.LeaseUntil - time.GetUtcNow();
            DispatcherLog.LeaseTooShort(logger, claimed.Delivery.Id, (long)left.TotalMilliseconds, (long)(options.AttemptTimeout + options.LeaseMargin).TotalMilliseconds);
        }

        try
        {
            // This claim's lease only: the node may hold a later one on the delivery by now.
            await store.ReleaseAsync(options.NodeId, [claimed.Delivery.Id], claimed.LeaseEnd, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            DispatcherLog.ReleaseFailed(logger, claimed.Delivery.Id, ex);
        }
    }

    /// <summary>Nothing more is due: sleep until the next due time, a wake-up, or MaxIdle.</summary>
    private async Task IdleAsync(int justClaimed, CancellationToken stopping)
    {
        DateTimeOffset? next;
        try
        {
            next = await store.NextDueAtAsync(stopping).ConfigureAwait(false);
        }
        catch (Exception ex) when (!stopping.IsCancellationRequested)
        {
            DispatcherLog.ClaimFailed(logger, ex);
            next = null;
        }

        var wait = next is { } due ? due - time.GetUtcNow() : options.MaxIdle;
        if (wait > options.MaxIdle)
        {
            wait = options.MaxIdle;
        }

        // Due yet unclaimable (leased elsewhere): don't spin on the store.
        if (wait < MinIdle && justClaimed == 0)
        {
            wait = MinIdle;
        }

        if (wait > TimeSpan.Zero)
        {
            // A freed slot also ends the wait: the due deliveries left behind may belong to a service
            // that was at its MaxInFlightPerService share and may now have another go.
            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            var freed = slotFreed.WaitAsync(waiting.Token);
            await Task.WhenAny(wakeup.WaitAsync(wait, waiting.Token), freed).ConfigureAwait(false);
            await waiting.CancelAsync().ConfigureAwait(false);
            stopping.ThrowIfCancellationRequested();
        }
    }

    private ServiceShare CurrentShare()
    {
        // A limit at or above MaxConcurrency is off: nobody can hold more than every slot anyway.
        var perService = options.MaxInFlightPerService >= options.MaxConcurrency ? int.MaxValue : options.MaxInFlightPerService;
        var perOwner = options.MaxInFlightPerOwner >= options.MaxConcurrency ? int.MaxValue : options.MaxInFlightPerOwner;
        if (perService == int.MaxValue && perOwner == int.MaxValue)
        {
            return ServiceShare.Unlimited;
        }

        lock (inFlightByService)
        {
            return new ServiceShare(perService, new Dictionary<long, int>(inFlightByService), perOwner, new Dictionary<long, int>(inFlightByOwner));
        }
    }
}
