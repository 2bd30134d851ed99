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

    /// <summary>When set, composing throws, as an announcer with a defect would.</summary>
    public bool Fail { get; set; }

    public IDeliveryComposer Compose(PullRequestEvent pullRequestEvent)
    {
        if (Fail)
        {
            throw new InvalidOperationException("the announcer failed");
        }

        Events.Enqueue(pullRequestEvent);
        return this;
    }

    public IReadOnlyList<ComposedDelivery> For(ServiceSubscription service) => [];
}
