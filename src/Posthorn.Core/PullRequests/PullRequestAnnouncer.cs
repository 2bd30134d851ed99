using Posthorn.Core.Payloads;

namespace Posthorn.Core.PullRequests;

/// <summary>
/// Composes one delivery per subscribed service for a pull-request event (<see cref="PullRequestDeliveries"/>);
/// the store queues them with the change and wakes the dispatchers after it commits. Thread-safe.
/// </summary>
public sealed class PullRequestAnnouncer(CanonUrl canonUrl) : IPullRequestAnnouncer
{
    public IDeliveryComposer Compose(PullRequestEvent pullRequestEvent)
    {
        ArgumentNullException.ThrowIfNull(pullRequestEvent);
        return new PullRequestDeliveries(pullRequestEvent, canonUrl.Value);
    }
}
