namespace Posthorn.Core.Pushes;

/// <summary>
/// A push about to be recorded. <see cref="Payload"/> is the complete JSON document (format
/// bitbucket-post's inner JSON) built from the repository while the ref state before the push was
/// still known; it is stored with the push so every delivery and redelivery sends the same bytes.
/// </summary>
public sealed record NewPush(
    long RepositoryId,
    string Pusher,
    DateTimeOffset PushedAt,
    IReadOnlyList<RefUpdate> RefUpdates,
    int CommitCount,
    string Payload,
    bool Recovered = false)
{
    /// <summary>
    /// Decides each active service's deliveries (events, branch filters, formats). Null: one "push"
    /// delivery of <see cref="Payload"/> per active service.
    /// </summary>
    public Payloads.IDeliveryComposer? Composer { get; init; }

    /// <summary>
    /// The pull request this push merges (a merge made by Posthorn), closed in the push's own
    /// transaction together with its event, so no crash leaves the merge recorded and the pull request
    /// open, or merged and unannounced. Null: none.
    /// </summary>
    public PullRequests.PullRequestClosing? Closes { get; init; }

    /// <summary>The event of <see cref="Closes"/>.</summary>
    public PullRequests.PullRequestAnnouncement? ClosingAnnouncement { get; init; }
}
