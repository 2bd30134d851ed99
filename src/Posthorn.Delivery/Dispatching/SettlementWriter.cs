using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Posthorn.Core.Deliveries;
using Posthorn.Core.PostServices;
using Posthorn.Delivery.Sending;

namespace Posthorn.Delivery.Dispatching;

/// <summary>
/// Records finished attempts in batches: whatever finished while the previous batch was being
/// written goes in the next one (one round trip for many attempts), then applies the health policy.
/// Store errors are retried, never thrown, so a briefly unavailable database delays, not loses, the
/// records, and a record the database refuses does not hold up the others (see <see cref="SettleAsync"/>).
/// One reader; <see cref="Add"/> is thread-safe.
/// </summary>
internal sealed class SettlementWriter(
    IDeliveryStore deliveries,
    IPostServiceStore services,
    SettlementPlanner planner,
    ServiceHealthPolicy health,
    IDeliveryWakeup wakeup,
    Random random,
    TimeProvider time,
    DeliveryOptions options,
    ILogger logger,
    TimeSpan? retryDelay = null)
{
    private const int MaxBatch = 256;
    private const int TriesAfterShutdown = 3;
    private readonly TimeSpan retryDelay = retryDelay ?? TimeSpan.FromSeconds(1);

    private readonly Channel<(ClaimedDelivery Claimed, SentAttempt Sent)> queue =
        Channel.CreateUnbounded<(ClaimedDelivery, SentAttempt)>(new UnboundedChannelOptions { SingleReader = true });

    public void Add(ClaimedDelivery claimed, SentAttempt sent) => queue.Writer.TryWrite((claimed, sent));

    /// <summary>No more attempts will be added; <see cref="RunAsync"/> finishes once the queue is written.</summary>
    public void Complete() => queue.Writer.TryComplete();

    /// <summary>Writes until <see cref="Complete"/>; <paramref name="stopping"/> only limits retries, queued records are still written.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var batch = new List<(ClaimedDelivery Claimed, Settlement Settlement)>(MaxBatch);
        while (await queue.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            batch.Clear();
            var now = time.GetUtcNow();
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var item))
            {
                batch.Add((item.Claimed, planner.Plan(item.Claimed, item.Sent, now, random.NextDouble())));
            }

            var results = await SettleAsync(batch, stopping).ConfigureAwait(false);
            await ApplyAsync(batch, results, now).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Writes the batch in order, retrying what fails. A database that cannot write (down, busy, out
    /// of connections) gets the same records again every second, so they come back whole when it
    /// does. A database that refuses what a record contains (<see cref="RecordRefusedException"/>)
    /// would refuse the batch for ever, so the batch is halved, and halved again, until the refused
    /// record is alone: the others are written, in batch order still, since the service's failure
    /// count follows the order of writes. The lone record is tried once more as it is (a refusal
    /// caused by a concurrent write passes), then without the text a receiver or the request put in
    /// it, with a note in its place; refused even so, it is given up (logged as an error): its lease
    /// runs out and it is sent again, rather than holding up every attempt recorded after it. Once
    /// stopping, the writer gives up when the write has failed <see cref="TriesAfterShutdown"/> times
    /// in a row, counting the tries before the stop.
    /// </summary>
    /// <returns>Per settlement: whether it was written, and the store's answer for it (null: its lease was lost).</returns>
    private async Task<(bool Written, SettledDelivery? Settled)[]> SettleAsync(List<(ClaimedDelivery Claimed, Settlement Settlement)> batch, CancellationToken stopping)
    {
        var results = new (bool, SettledDelivery?)[batch.Count];
        var parts = new Stack<(int Start, int Count)>(); // the next part to write on top, the rest in batch order below
        parts.Push((0, batch.Count));
        var tries = 0; // failed tries since the last write
        var refusedOnce = -1; // the lone record refused once already
        while (parts.TryPeek(out var part))
        {
            var (start, count) = part;
            var settlements = batch.GetRange(start, count).ConvertAll(b => b.Settlement);
            Exception failure;
            try
            {
                Record(results, start, await deliveries.SettleAsync(options.NodeId, settlements, CancellationToken.None).ConfigureAwait(false));
                parts.Pop();
                tries = 0;
                continue;
            }
            catch (RecordRefusedException refused) when (count > 1)
            {
                DispatcherLog.SettleSplit(logger, count, refused);
                parts.Pop();
                parts.Push((start + (count / 2), count - (count / 2)));
                parts.Push((start, count / 2));
                continue;
            }
            catch (RecordRefusedException) when (refusedOnce != start)
            {
                refusedOnce = start;
                continue;
            }
            catch (RecordRefusedException refused)
            {
                var without = await TryWithoutTextAsync(settlements[0], refused, results, start).ConfigureAwait(false);
                if (without is null or RecordRefusedException)
                {
                    parts.Pop(); // written without its text, or given up
                    tries = 0;
                    continue;
                }

                failure = without; // the database failed meanwhile: the record is tried whole again
            }
            catch (Exception ex)
            {
                failure = ex;
            }

            tries++;
            DispatcherLog.SettleFailed(logger, count, tries, failure);
            if (stopping.IsCancellationRequested && tries >= TriesAfterShutdown)
            {
                DispatcherLog.SettleAbandoned(logger, parts.Sum(p => p.Count));
                break;
            }

            await Task.Delay(retryDelay, time, CancellationToken.None).ConfigureAwait(false);
        }

        return results;
    }

    /// <returns>Null when written; else why not (a <see cref="RecordRefusedException"/>: the record is given up).</returns>
    private async Task<Exception?> TryWithoutTextAsync(Settlement settlement, RecordRefusedException refusal, (bool, SettledDelivery?)[] results, int index)
    {
        var note = $"Posthorn could not store this text: the database refused it ({refusal.InnerException?.GetType().Name}); the server log has the details.";
        var attempt = settlement.Attempt;
        var bare = settlement with
        {
            Attempt = attempt with
            {
                RequestHeaders = note,
                RequestBody = note,
                ResponseHeaders = null,
                ResponseBody = attempt.ResponseStatus is null ? null : note,
                Error = attempt.Error is null ? null : note,
            },
        };
        try
        {
            Record(results, index, await deliveries.SettleAsync(options.NodeId, [bare], CancellationToken.None).ConfigureAwait(false));
        }
        catch (RecordRefusedException again)
        {
            DispatcherLog.RecordGivenUp(logger, attempt.DeliveryId, attempt.Number, again);
            return again;
        }
        catch (Exception ex)
        {
            return ex;
        }

        DispatcherLog.RecordedWithoutText(logger, attempt.DeliveryId, attempt.Number, refusal);
        return null;
    }

    private static void Record((bool, SettledDelivery?)[] results, int start, IReadOnlyList<SettledDelivery?> written)
    {
        for (var i = 0; i < written.Count; i++)
        {
            results[start + i] = (true, written[i]);
        }
    }

    private async Task ApplyAsync(List<(ClaimedDelivery Claimed, Settlement Settlement)> batch, (bool Written, SettledDelivery? Settled)[] results, DateTimeOffset now)
    {
        // One decision per service per batch: the latest failure count wins, so a burst of failures
        // to one receiver costs one pause, not one per attempt.
        var decisions = new Dictionary<long, (HealthDecision Decision, int Failures)>();
        var failedProbes = new Dictionary<long, DateTimeOffset>(); // service → the end of its probe's hold (the probe's lease)
        var succeeded = new HashSet<long>();
        var retrySoon = false;
        var unpaused = false;
        for (var i = 0; i < batch.Count; i++)
        {
            var (claimed, settlement) = batch[i];
            if (!results[i].Written)
            {
                continue; // given up (at shutdown, or refused whatever its text): already logged
            }

            if (results[i].Settled is not var (failures, status))
            {
                DispatcherLog.LeaseLost(logger, claimed.Delivery.Id);
                continue;
            }

            // The stored status, not the planned one: a redelivery during the attempt kept it queued.
            if (status == DeliveryStatus.Failed)
            {
                DispatcherLog.DeliveryFailed(logger, claimed.Delivery.Id, settlement.Attempt.Number, settlement.Attempt.Outcome);
                Observability.DeliveryMetrics.DeliveryFailed();
            }

            retrySoon |= settlement.NextAttemptAt is { } next && next - now < options.MaxIdle;
            if (settlement.Attempt.Outcome == AttemptOutcome.Succeeded)
            {
                succeeded.Add(claimed.Service.Id);
                unpaused |= claimed.IsProbe || claimed.Service.Health.PausedUntil is not null; // the store cleared a pause: its backlog may flow now
            }
            else if (claimed.IsProbe)
            {
                failedProbes[claimed.Service.Id] = claimed.LeaseUntil;
            }

            var decision = health.Decide(settlement.Attempt.Outcome, failures, now);
            if (decision.Action != HealthAction.None || decisions.ContainsKey(claimed.Service.Id))
            {
                decisions[claimed.Service.Id] = (decision, failures);
            }
        }

        foreach (var (serviceId, (decision, failures)) in decisions)
        {
            await ApplyAsync(serviceId, decision, failures, now).ConfigureAwait(false);
        }

        // A failed probe below the pause threshold (after a re-enable, say) ends its hold at once: the
        // service stays half-open, so the next claim sends one delivery again, never the backlog.
        foreach (var (serviceId, holdUntil) in failedProbes)
        {
            if (!succeeded.Contains(serviceId) && !(decisions.TryGetValue(serviceId, out var d) && d.Decision.Action != HealthAction.None))
            {
                await EndProbeHoldAsync(serviceId, holdUntil, now).ConfigureAwait(false);
            }
        }

        if (retrySoon || unpaused)
        {
            wakeup.Notify(); // a retry falls due, or a paused service's backlog is free, before the dispatcher's next scheduled look
        }
    }

    private async Task EndProbeHoldAsync(long serviceId, DateTimeOffset holdUntil, DateTimeOffset now)
    {
        try
        {
            // Only the hold itself: a pause another node set meanwhile stays.
            await services.EndProbeHoldAsync(serviceId, holdUntil, now, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The hold also runs out with the probe's lease.
            DispatcherLog.HealthFailed(logger, serviceId, ex);
        }
    }

    private async Task ApplyAsync(long serviceId, HealthDecision decision, int failures, DateTimeOffset now)
    {
        try
        {
            switch (decision.Action)
            {
                // Decided on the count this batch left; a success recorded since (another node's, the
                // Test button's) cleared it, and the service is not paused or disabled after all.
                case HealthAction.Pause:
                    if (await services.PauseServiceAsync(serviceId, decision.PausedUntil!.Value, failures, CancellationToken.None).ConfigureAwait(false))
                    {
                        DispatcherLog.ServicePaused(logger, serviceId, decision.PausedUntil.Value, failures);
                    }

                    break;
                case HealthAction.Disable:
                    if (await services.DisableServiceAsync(serviceId, decision.Reason!, now, failures, CancellationToken.None).ConfigureAwait(false))
                    {
                        DispatcherLog.ServiceDisabled(logger, serviceId, decision.Reason!);
                    }

                    break;
            }
        }
        catch (Exception ex)
        {
            // Health is advisory: the failure count is already stored and the next failure decides again.
            DispatcherLog.HealthFailed(logger, serviceId, ex);
        }
    }
}
