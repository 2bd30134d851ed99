using Posthorn.Core.PullRequests;

namespace Posthorn.Core.PostServices;

/// <summary>
/// The events a service may subscribe to, by the names the API, CLI and form use. "push" is the
/// default (the original service's only event). <see cref="EventKey"/> gives the X-Event-Key value
/// every delivery carries, in Bitbucket Cloud's vocabulary.
/// </summary>
public static class ServiceEvents
{
    public const string Push = "push";
    public const string PullRequestCreated = "pullrequest:created";
    public const string PullRequestUpdated = "pullrequest:updated";
    public const string PullRequestFulfilled = "pullrequest:fulfilled";
    public const string PullRequestRejected = "pullrequest:rejected";

    public static readonly IReadOnlyList<string> All = [Push, PullRequestCreated, PullRequestUpdated, PullRequestFulfilled, PullRequestRejected];

    public static readonly IReadOnlyList<string> Default = [Push];

    public static string Of(PullRequestEventKind kind) => kind switch
    {
        PullRequestEventKind.Created => PullRequestCreated,
        PullRequestEventKind.Updated => PullRequestUpdated,
        PullRequestEventKind.Fulfilled => PullRequestFulfilled,
        _ => PullRequestRejected,
    };

    /// <summary>The X-Event-Key of a delivery's event: "repo:push" for a push, "diagnostics:ping" for a test, the event itself otherwise.</summary>
    public static string EventKey(string deliveryEvent) => deliveryEvent switch
    {
        Push => "repo:push",
        Deliveries.DeliveryEvents.Ping => "diagnostics:ping",
        _ => deliveryEvent,
    };

    /// <summary>
    /// The subscribed events cleaned up: trimmed, lower-cased, known, distinct, in <see cref="All"/>'s order.
    /// Null or empty means the default (push only).
    /// </summary>
    /// <exception cref="ValidationException">An unknown event name.</exception>
    public static IReadOnlyList<string> Normalize(IEnumerable<string>? events)
    {
        var given = (events ?? []).Select(e => e.Trim().ToLowerInvariant()).Where(e => e.Length > 0).ToList();
        if (given.Count == 0)
        {
            return Default;
        }

        if (given.FirstOrDefault(e => !All.Contains(e)) is { } unknown)
        {
            throw new ValidationException("events", $"Unknown event '{unknown}': use {string.Join(", ", All)}.");
        }

        return All.Where(given.Contains).ToList();
    }
}
