namespace Posthorn.Core.Deliveries;

/// <summary>
/// How many more deliveries of each service, and of each owner's services together, one claim may
/// lease, so that a service whose receiver hangs holds at most <see cref="MaxPerService"/> of a
/// node's in-flight slots (issue 3), and one owner's services at most <see cref="MaxPerOwner"/>: an
/// owner with eighty services at a hanging receiver costs that owner, never another owner's
/// deliveries. Immutable; thread-safe.
/// </summary>
public sealed class ServiceShare
{
    // Declared first: static fields initialise in order, and Unlimited needs it.
    private static readonly IReadOnlyDictionary<long, int> None = new Dictionary<long, int>();

    /// <summary>No limit: a claim takes the oldest due deliveries whatever their service or owner.</summary>
    public static readonly ServiceShare Unlimited = new(int.MaxValue, new Dictionary<long, int>());

    /// <summary>A per-service limit only (no per-owner limit).</summary>
    public ServiceShare(int maxPerService, IReadOnlyDictionary<long, int> inFlight)
        : this(maxPerService, inFlight, int.MaxValue, None)
    {
    }

    public ServiceShare(int maxPerService, IReadOnlyDictionary<long, int> inFlight, int maxPerOwner, IReadOnlyDictionary<long, int> inFlightByOwner)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPerService, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPerOwner, 1);
        ArgumentNullException.ThrowIfNull(inFlight);
        ArgumentNullException.ThrowIfNull(inFlightByOwner);
        MaxPerService = maxPerService;
        InFlight = inFlight;
        MaxPerOwner = maxPerOwner;
        InFlightByOwner = inFlightByOwner;
    }

    /// <summary>Most deliveries of one service in flight at once on this node.</summary>
    public int MaxPerService { get; }

    /// <summary>Most deliveries of one owner's services (all repositories together) in flight at once on this node.</summary>
    public int MaxPerOwner { get; }

    /// <summary>Deliveries of each service already in flight on this node (services absent have none).</summary>
    public IReadOnlyDictionary<long, int> InFlight { get; }

    /// <summary>Deliveries of each owner's services already in flight on this node (owners absent have none).</summary>
    public IReadOnlyDictionary<long, int> InFlightByOwner { get; }

    /// <summary>True when neither limit applies (a claim need not read owners at all).</summary>
    public bool IsUnlimited => MaxPerService == int.MaxValue && MaxPerOwner == int.MaxValue;

    /// <summary>How many more deliveries of <paramref name="serviceId"/> may be claimed now (never negative).</summary>
    public int Remaining(long serviceId) => Left(MaxPerService, InFlight, serviceId);

    /// <summary>How many more deliveries of <paramref name="ownerId"/>'s services may be claimed now (never negative).</summary>
    public int RemainingForOwner(long ownerId) => Left(MaxPerOwner, InFlightByOwner, ownerId);

    /// <summary>Services with nothing left of their share: a claim need not look at their deliveries at all.</summary>
    public IEnumerable<long> Full => InFlight.Keys.Where(id => Remaining(id) == 0);

    /// <summary>Owners with nothing left of their share: a claim need not look at their services' deliveries at all.</summary>
    public IEnumerable<long> FullOwners => InFlightByOwner.Keys.Where(id => RemainingForOwner(id) == 0);

    /// <summary>
    /// The first <paramref name="max"/> of <paramref name="oldestFirst"/> that keep every service within
    /// what is left of its share; the rest wait for a later claim.
    /// </summary>
    public IReadOnlyList<T> Pick<T>(IEnumerable<(T Item, long ServiceId)> oldestFirst, int max)
    {
        ArgumentNullException.ThrowIfNull(oldestFirst);
        return Pick(oldestFirst.Select(c => (c.Item, c.ServiceId, 0L)), max);
    }

    /// <summary>
    /// As above, also keeping every owner within what is left of its share, so a claim reaches past
    /// one owner's deep backlog to another owner's newer delivery.
    /// </summary>
    public IReadOnlyList<T> Pick<T>(IEnumerable<(T Item, long ServiceId, long OwnerId)> oldestFirst, int max)
    {
        ArgumentNullException.ThrowIfNull(oldestFirst);
        var byService = new Dictionary<long, int>();
        var byOwner = new Dictionary<long, int>();
        var picked = new List<T>();
        foreach (var (item, serviceId, ownerId) in oldestFirst)
        {
            if (picked.Count >= max)
            {
                break;
            }

            var service = byService.GetValueOrDefault(serviceId);
            var owner = byOwner.GetValueOrDefault(ownerId);
            if (service < Remaining(serviceId) && owner < RemainingForOwner(ownerId))
            {
                byService[serviceId] = service + 1;
                byOwner[ownerId] = owner + 1;
                picked.Add(item);
            }
        }

        return picked;
    }

    /// <summary>The share once <paramref name="claimedServiceIds"/> (one entry per delivery) are in flight too.</summary>
    public ServiceShare With(IEnumerable<long> claimedServiceIds)
    {
        ArgumentNullException.ThrowIfNull(claimedServiceIds);
        return With(claimedServiceIds.Select(id => (id, 0L)));
    }

    /// <summary>The share once <paramref name="claimed"/> (one entry per delivery: its service and owner) are in flight too.</summary>
    public ServiceShare With(IEnumerable<(long ServiceId, long OwnerId)> claimed)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        if (IsUnlimited)
        {
            return this;
        }

        var inFlight = new Dictionary<long, int>(InFlight);
        var byOwner = new Dictionary<long, int>(InFlightByOwner);
        foreach (var (serviceId, ownerId) in claimed)
        {
            inFlight[serviceId] = inFlight.GetValueOrDefault(serviceId) + 1;
            if (MaxPerOwner != int.MaxValue)
            {
                byOwner[ownerId] = byOwner.GetValueOrDefault(ownerId) + 1;
            }
        }

        return new ServiceShare(MaxPerService, inFlight, MaxPerOwner, byOwner);
    }

    private static int Left(int max, IReadOnlyDictionary<long, int> inFlight, long id) =>
        max == int.MaxValue ? int.MaxValue : Math.Max(0, max - (inFlight.TryGetValue(id, out var busy) ? busy : 0));
}
