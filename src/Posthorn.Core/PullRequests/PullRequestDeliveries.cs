using Posthorn.Core.Payloads;
using Posthorn.Core.Payloads.BitbucketCloud;
using Posthorn.Core.Payloads.Github;
using Posthorn.Core.PostServices;

namespace Posthorn.Core.PullRequests;

/// <summary>
/// What one pull-request event sends: one delivery, event "pullrequest:created" (etc.), to each
/// service subscribed to that event whose branch filter matches the destination branch, in the
/// service's format. Each document is written once per format. Not thread-safe (one event, one caller).
/// </summary>
public sealed class PullRequestDeliveries(PullRequestEvent pullRequestEvent, string canonUrl) : IDeliveryComposer
{
    private readonly string eventName = ServiceEvents.Of(pullRequestEvent.Kind);
    private readonly Dictionary<PayloadFormat, IReadOnlyList<ComposedDelivery>> written = [];

    public IReadOnlyList<ComposedDelivery> For(ServiceSubscription service)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (!service.Subscribes(eventName) || !BranchFilter.Of(service.Branches).Matches(pullRequestEvent.PullRequest.DestinationBranch))
        {
            return [];
        }

        if (!written.TryGetValue(service.Format, out var deliveries))
        {
            var document = service.Format switch
            {
                PayloadFormat.BitbucketCloud => BitbucketCloudPullRequestWriter.Write(pullRequestEvent, canonUrl),
                PayloadFormat.Github => GithubPullRequestWriter.Write(pullRequestEvent, canonUrl),
                _ => PullRequestPayloadWriter.Write(pullRequestEvent, canonUrl),
            };
            deliveries = [new ComposedDelivery(eventName, document)];
            written[service.Format] = deliveries;
        }

        return deliveries;
    }
}
