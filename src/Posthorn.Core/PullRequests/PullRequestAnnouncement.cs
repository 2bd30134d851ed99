using Posthorn.Core.Payloads;

namespace Posthorn.Core.PullRequests;

/// <summary>
/// The event a pull-request change announces, given the pull request as the change left it: the store
/// calls it inside the change's own transaction and queues what it composes there, so a change is
/// never stored without its event (nor an event without its change), crash or not.
/// </summary>
public delegate IDeliveryComposer PullRequestAnnouncement(PullRequest changed);
