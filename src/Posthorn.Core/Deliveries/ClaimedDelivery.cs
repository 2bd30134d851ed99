using Posthorn.Core.PostServices;

namespace Posthorn.Core.Deliveries;

/// <summary>A delivery leased to one node, with everything needed to send it.</summary>
public sealed record ClaimedDelivery(Delivery Delivery, PostService Service, string Payload)
{
    /// <summary>The account that owns the service's repository: the dispatcher's fair share is counted per owner too.</summary>
    public long OwnerId { get; init; }

    /// <summary>
    /// The one delivery sent to a service whose pause has ended (half-open): the service's backlog
    /// waits until this succeeds, and a failure counts once, not once per queued delivery.
    /// </summary>
    public bool IsProbe { get; init; }

    /// <summary>How many times the delivery had been redelivered when claimed: each redelivery starts a new round (see <see cref="Settlement.Round"/>).</summary>
    public int Round { get; init; }

    /// <summary>When the lease ends; no attempt may still be under way then (another node may take the delivery over).</summary>
    public DateTimeOffset LeaseUntil { get; init; } = DateTimeOffset.MaxValue;

    /// <summary><see cref="LeaseUntil"/> as the store's checks take it: null when the claim carries no lease end (MaxValue), so nothing is checked.</summary>
    public DateTimeOffset? LeaseEnd => LeaseUntil == DateTimeOffset.MaxValue ? null : LeaseUntil;

    /// <summary>
    /// Whether an attempt started at <paramref name="now"/> and cut off after <paramref name="attemptTimeout"/>
    /// ends at least <paramref name="margin"/> before the lease does. The lease starts at claim time and
    /// the attempt's timeout at send time; on a loaded machine the gap between them is unbounded, so
    /// this is checked just before sending, never assumed (two nodes once sent one delivery at once).
    /// </summary>
    public bool LeaseCovers(DateTimeOffset now, TimeSpan attemptTimeout, TimeSpan margin) =>
        LeaseUntil == DateTimeOffset.MaxValue || LeaseUntil - now >= attemptTimeout + margin;
}
