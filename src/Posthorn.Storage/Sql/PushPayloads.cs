namespace Posthorn.Storage.Sql;

/// <summary>
/// Recently claimed pushes' payloads by push id, so the deliveries of one push claimed over several
/// claims (fairness caps split a push's services across them) share one string instance: what is
/// derived from a payload once (its encoded body, keyed by the instance) then serves them all, and the
/// claim reads no payload it has read before. A push's payload never changes once recorded, so a kept
/// copy cannot go stale. Bounded by the characters held: when full it starts over. Thread-safe.
/// </summary>
internal sealed class PushPayloads(int maxChars = PushPayloads.DefaultMaxChars)
{
    /// <summary>About 2 MB of text: hundreds of typical pushes, more than the claims in flight hold.</summary>
    public const int DefaultMaxChars = 1 << 20;

    private readonly Dictionary<long, string> payloads = [];
    private long chars;

    /// <summary>The kept payloads of <paramref name="pushIds"/>; the ids not kept are added to <paramref name="missing"/>.</summary>
    public Dictionary<long, string> Find(IEnumerable<long> pushIds, List<long> missing)
    {
        var found = new Dictionary<long, string>();
        lock (payloads)
        {
            foreach (var id in pushIds)
            {
                if (payloads.TryGetValue(id, out var payload))
                {
                    found[id] = payload;
                }
                else
                {
                    missing.Add(id);
                }
            }
        }

        return found;
    }

    /// <summary>Keeps <paramref name="payload"/> as push <paramref name="pushId"/>'s (one larger than the whole bound is not kept).</summary>
    public void Keep(long pushId, string payload)
    {
        if (payload.Length > maxChars)
        {
            return;
        }

        lock (payloads)
        {
            if (chars + payload.Length > maxChars)
            {
                payloads.Clear();
                chars = 0;
            }

            if (payloads.TryAdd(pushId, payload))
            {
                chars += payload.Length;
            }
        }
    }
}
