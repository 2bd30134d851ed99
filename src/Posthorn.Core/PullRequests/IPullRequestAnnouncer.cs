using Posthorn.Core.Payloads;

namespace Posthorn.Core.PullRequests;

/// <summary>
/// Turns a pull-request event into what each of the repository's services is sent for it (those that
/// subscribe to it and whose branch filter matches the destination branch). The store queues the
/// result in the transaction that stores the change (<see cref="PullRequestAnnouncement"/>).
/// </summary>
public interface IPullRequestAnnouncer
{
    IDeliveryComposer Compose(PullRequestEvent pullRequestEvent);
}
