using Microsoft.Extensions.Options;
using Posthorn.Core.Deliveries;
using Posthorn.Core.PostServices;
using Posthorn.Delivery.Sending;

namespace Posthorn.Delivery.Pinging;

/// <summary>
/// The "Test" button: queues a ping for the service, claims and sends it inline (whatever the
/// service's pause or disable state), records the attempt like any other, and on success clears the
/// service's health, re-enabling it (half-open: one queued delivery first, then the backlog); a 410
/// Gone disables it, as a 410 to any delivery does. A failed ping is marked failed rather than retried: the
/// administrator is looking at the result and can press the button again. Thread-safe.
/// </summary>
public sealed class ServiceTester(
    IDeliveryStore deliveries, IPostServiceStore services, PostSender sender, TimeProvider time, IOptions<DeliveryOptions> options)
{
    private readonly DeliveryOptions settings = options.Value;

    /// <summary>
    /// Sends <paramref name="pingPayload"/> (the JSON document, built by the caller) to service
    /// <paramref name="serviceId"/> now and returns the recorded attempt. The caller checks the
    /// service exists and the user may administer it.
    /// </summary>
    public async Task<Attempt> TestAsync(long serviceId, string pingPayload, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(pingPayload);
        // Queued already leased to this node: queued first and claimed after, a woken dispatcher
        // could take the ping in between, send it itself and leave this request with nothing (a 500).
        var claimed = await deliveries.EnqueueClaimedAsync(serviceId, DeliveryEvents.Ping, pingPayload, settings.NodeId, time.GetUtcNow(), settings.Lease, ct).ConfigureAwait(false);

        // Queued, the ping is sent and recorded whatever the caller does next (the attempt's timeout
        // bounds it): given up half-way, it stayed queued and leased, and the dispatcher took it up
        // later as an ordinary delivery, retried for a day and counted against the service.
        var sent = await sender.SendAsync(claimed, CancellationToken.None).ConfigureAwait(false);
        var attempt = sent.Attempt;
        var status = attempt.Outcome == AttemptOutcome.Succeeded ? DeliveryStatus.Succeeded : DeliveryStatus.Failed;

        // The receiver has answered; record it even if the caller gave up meanwhile. Under the lease and
        // in the round it was sent in, as the dispatcher's attempts are: a redelivery of the ping asked
        // for meanwhile stays queued.
        var settlement = new Settlement(attempt, status, null) { LeaseUntil = claimed.LeaseEnd, Round = claimed.Round };
        await deliveries.SettleAsync(settings.NodeId, [settlement], CancellationToken.None).ConfigureAwait(false);
        if (attempt.Outcome == AttemptOutcome.Succeeded)
        {
            // Settling the success cleared the pause; a service that was paused or disabled still
            // resumes half-open (one queued delivery first, then the backlog), as on re-enable.
            if (claimed.Service.Health.IsDisabled || claimed.Service.Health.PausedUntil is not null)
            {
                await services.PauseServiceAsync(serviceId, DateTimeOffset.UnixEpoch, CancellationToken.None).ConfigureAwait(false);
            }

            await services.ResetHealthAsync(serviceId, CancellationToken.None).ConfigureAwait(false);
        }
        else if (attempt.Outcome == AttemptOutcome.Gone)
        {
            // 410 means what it means for a delivery: the receiver is gone, stop sending (docs/post-service.md).
            await services.DisableServiceAsync(serviceId, ServiceHealthPolicy.GoneReason, time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
        }

        return attempt;
    }
}
