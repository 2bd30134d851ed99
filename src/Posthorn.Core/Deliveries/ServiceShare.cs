namespace Posthorn.Core.Deliveries;

/// <summary>
/// How many more deliveries of each service one claim may lease, so that a service whose receiver
/// hangs holds at most <see cref="MaxPerService"/> of a node's in-flight slots and never blocks the
/// other services' deliveries (issue 3). Immutable; thread-safe.
/// </summary>
public sealed class ServiceShare
{
    /// <summary>No per-service limit: a claim takes the oldest due deliveries whatever their service.</summary>
    public static readonly ServiceShare Unlimited = new(int.MaxValue, new Dictionary<long, int>());

    public ServiceShare(int maxPerService, IReadOnlyDictionary<long, int> inFlight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPerService, 1);
        ArgumentNullException.ThrowIfNull(inFlight);
        MaxPerService = maxPerService;
        InFlight = inFlight;
    }

    /// <summary>Most deliveries of one service in flight at once on this node.</summary>
    public int MaxPerService { get; }

    /// <summary>Deliveries of each service already in flight on this node (services absent have none).</summary>
    public IReadOnlyDictionary<long, int> InFlight { get; }

    /// <summary>How many more deliveries of <paramref name="serviceId"/> may be claimed now (never negative).</summary>
    public int Remaining(long serviceId) =>
        Math.Max(0, MaxPerService - (InFlight.TryGetValue(serviceId, out var busy) ? busy : 0));

    /// <summary>Services with nothing left of their share: a claim need not look at their deliveries at all.</summary>
    public IEnumerable<long> Full => InFlight.Keys.Where(id => Remaining(id) == 0);

    /// <summary>
    /// The first <paramref name="max"/> of <paramref name="oldestFirst"/> that keep every service within
    /// what is left of its share; the rest wait for a later claim.
    /// </summary>
    public IReadOnlyList<T> Pick<T>(IEnumerable<(T Item, long ServiceId)> oldestFirst, int max)
    {
        ArgumentNullException.ThrowIfNull(oldestFirst);
        var taken = new Dictionary<long, int>();
        var picked = new List<T>();
        foreach (var (item, serviceId) in oldestFirst)
        {
            if (picked.Count >= max)
            {
                break;
            }

            var count = taken.GetValueOrDefault(serviceId);
            if (count < Remaining(serviceId))
            {
                taken[serviceId] = count + 1;
                picked.Add(item);
            }
        }

        return picked;
    }

    /// <summary>The share once <paramref name="claimedServiceIds"/> (one entry per delivery) are in flight too.</summary>
    public ServiceShare With(IEnumerable<long> claimedServiceIds)
    {
        ArgumentNullException.ThrowIfNull(claimedServiceIds);
        if (MaxPerService == int.MaxValue)
        {
            return this;
        }

        var inFlight = new Dictionary<long, int>(InFlight);
        foreach (var id in claimedServiceIds)
        {
            inFlight[id] = inFlight.GetValueOrDefault(id) + 1;
        }

        return new ServiceShare(MaxPerService, inFlight);
    }
}
