using Posthorn.Core.Deliveries;
using Posthorn.Core.Payloads;
using Posthorn.Core.PostServices;

namespace Posthorn.Core.PullRequests;

/// <summary>
/// Stores one delivery per subscribed service for a pull-request event (<see cref="PullRequestDeliveries"/>),
/// in one transaction, then wakes the dispatchers (persist first, then signal). Thread-safe.
/// </summary>
public sealed class PullRequestAnnouncer(IPostServiceStore services, IDeliveryWakeup wakeup, CanonUrl canonUrl) : IPullRequestAnnouncer
{
    public async Task AnnounceAsync(PullRequestEvent pullRequestEvent, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(pullRequestEvent);
        var queued = await services.QueueEventAsync(
            pullRequestEvent.Repository.Id, new PullRequestDeliveries(pullRequestEvent, canonUrl.Value), pullRequestEvent.At, ct).ConfigureAwait(false);
        if (queued.Count > 0)
        {
            wakeup.Notify();
        }
    }
}
