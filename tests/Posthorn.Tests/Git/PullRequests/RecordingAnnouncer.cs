using System.Collections.Concurrent;
using Posthorn.Core.Payloads;
using Posthorn.Core.PostServices;
using Posthorn.Core.PullRequests;

namespace Posthorn.Tests.Git.PullRequests;

/// <summary>
/// Tests only: notes every pull-request event the store composed, in order, and queues nothing. The
/// store composes inside the change's transaction, so an event noted here was stored with its change
/// (a test's store is not retried).
/// </summary>
public sealed class RecordingAnnouncer : IPullRequestAnnouncer, IDeliveryComposer
{
    public ConcurrentQueue<PullRequestEvent> Events { get; } = new();

    public IEnumerable<(PullRequestEventKind Kind, long Id, string Actor)> Summary => Events.Select(e => (e.Kind, e.PullRequest.Id, e.Actor));

    public IDeliveryComposer Compose(PullRequestEvent pullRequestEvent)
    {
        Events.Enqueue(pullRequestEvent);
        return this;
    }

    public IReadOnlyList<ComposedDelivery> For(ServiceSubscription service) => [];
}
