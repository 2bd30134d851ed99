namespace Posthorn.Core.PullRequests;

/// <summary>
/// What happened to a pull request; services subscribe to these by their event keys
/// ("pullrequest:created", "pullrequest:updated", "pullrequest:fulfilled", "pullrequest:rejected").
/// </summary>
public enum PullRequestEventKind
{
    Created = 0,

    /// <summary>The source branch moved (a push to it), so the pull request's commits changed.</summary>
    Updated = 1,

    /// <summary>Merged, by Posthorn or outside it.</summary>
    Fulfilled = 2,

    /// <summary>Declined.</summary>
    Rejected = 3,
}
