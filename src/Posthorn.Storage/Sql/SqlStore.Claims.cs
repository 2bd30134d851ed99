using System.Data.Common;
using Posthorn.Core.Deliveries;

namespace Posthorn.Storage.Sql;

public sealed partial class SqlStore
{
    public Task<IReadOnlyList<ClaimedDelivery>> ClaimDueAsync(string nodeId, DateTimeOffset now, TimeSpan lease, int max, CancellationToken ct) =>
        ClaimDueAsync(nodeId, now, lease, max, ServiceShare.Unlimited, ct);

    public Task<IReadOnlyList<ClaimedDelivery>> ClaimDueAsync(string nodeId, DateTimeOffset now, TimeSpan lease, int max, ServiceShare share, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(share);

        // Services at their share are left out in SQL; the others are capped in code over a window of
        // the oldest due rows, so a claim reads a bounded, index-ordered slice of the queue however deep
        // the backlog (ranking every due row per claim made a 20,000-delivery backlog drain at a third
        // of the speed). When the window was all rows of services that have now reached their share,
        // another round leaves those out too, so a deep backlog cannot hide a newer delivery of another
        // service behind it; the rounds are bounded, and what they leave is taken by the next claim.
        var window = share.MaxPerService == int.MaxValue ? max : Math.Min(max * ClaimWindowFactor, MaxClaimWindow);
        return WriteAsync(async (c, tx) =>
        {
            var leased = new List<string>();
            var left = share; // per transaction: the callback must not depend on an earlier run of itself
            for (var round = 0; round < MaxClaimRounds && leased.Count < max; round++)
            {
                var candidates = await DueCandidatesAsync(c, tx, now, window, left.Full.ToList(), ct).ConfigureAwait(false);
                var picked = left.Pick(candidates, max - leased.Count);
                leased.AddRange(await LeaseAsync(c, tx, nodeId, now, lease, picked.Select(p => p.Id).ToList(), ct).ConfigureAwait(false));
                if (candidates.Count < window)
                {
                    break; // every due row was seen
                }

                left = left.With(picked.Select(p => p.ServiceId));
            }

            return await LoadClaimedAsync(c, tx, leased, ct).ConfigureAwait(false);
        }, ct);
    }

    /// <summary>With a per-service share, a claim reads this many times the rows it wants (some may be over their share).</summary>
    private const int ClaimWindowFactor = 4;

    private const int MaxClaimWindow = 10_000;

    private const int MaxClaimRounds = 3;

    private readonly record struct Candidate(string Id, long ServiceId);

    /// <summary>
    /// The oldest claimable deliveries (due, unleased, of an active, unpaused, enabled service) outside
    /// <paramref name="fullServices"/>. PostgreSQL's SKIP LOCKED lets concurrent nodes pass each other's rows.
    /// </summary>
    private async Task<List<(Candidate Item, long ServiceId)>> DueCandidatesAsync(
        DbConnection c, DbTransaction tx, DateTimeOffset now, int window, IReadOnlyList<long> fullServices, CancellationToken ct)
    {
        var exclusion = fullServices.Count == 0 ? "" : $" AND d.service_id NOT IN ({string.Join(", ", fullServices.Select((_, i) => "@full" + i))})";
        return await SqlCommands.ListAsync(c, tx,
            $"""
            SELECT d.id, d.service_id FROM deliveries d JOIN post_services s ON s.id = d.service_id
            WHERE d.status = 0 AND d.next_attempt_at <= @now AND (d.lease_until IS NULL OR d.lease_until <= @now)
              AND s.is_active = 1 AND s.disabled_at IS NULL AND (s.paused_until IS NULL OR s.paused_until <= @now){exclusion}
            ORDER BY d.next_attempt_at LIMIT @window{dialect.ClaimLockClause}
            """,
            r => (new Candidate(r.Text(0), r.Long(1)), r.Long(1)), ct,
            [("@now", now), ("@window", window), .. fullServices.Select((id, i) => ("@full" + i, (object?)id))]).ConfigureAwait(false);
    }

    /// <summary>Takes the lease; re-tests it in case another claimer committed after the candidates were read.</summary>
    private static async Task<List<string>> LeaseAsync(DbConnection c, DbTransaction tx, string nodeId, DateTimeOffset now, TimeSpan lease, IReadOnlyList<string> ids, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        return await SqlCommands.ListAsync(c, tx,
            $"""
            UPDATE deliveries SET lease_owner = @node, lease_until = @until
            WHERE id IN ({string.Join(", ", ids.Select((_, i) => "@id" + i))}) AND status = 0 AND (lease_until IS NULL OR lease_until <= @now)
            RETURNING id
            """,
            r => r.Text(0), ct, [("@node", nodeId), ("@until", now + lease), ("@now", now), .. ids.Select((id, i) => ("@id" + i, (object?)id))]).ConfigureAwait(false);
    }

    public Task<ClaimedDelivery?> ClaimAsync(Guid deliveryId, string nodeId, DateTimeOffset now, TimeSpan lease, CancellationToken ct) =>
        WriteAsync(async (c, tx) =>
        {
            var updated = await SqlCommands.ExecuteAsync(c, tx,
                "UPDATE deliveries SET lease_owner = @node, lease_until = @until WHERE id = @id AND status = 0 AND (lease_until IS NULL OR lease_until <= @now)",
                ct, ("@node", nodeId), ("@until", now + lease), ("@id", deliveryId), ("@now", now)).ConfigureAwait(false);
            if (updated == 0)
            {
                return null;
            }

            var claimed = await LoadClaimedAsync(c, tx, [deliveryId.ToString()], ct).ConfigureAwait(false);
            return claimed.Count == 0 ? null : claimed[0];
        }, ct);

    /// <summary>The claimed rows with their service and payload (a ping's own, else its push's), oldest due first.</summary>
    private async Task<IReadOnlyList<ClaimedDelivery>> LoadClaimedAsync(DbConnection c, DbTransaction tx, IReadOnlyList<string> ids, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var names = ids.Select((_, i) => "@id" + i);
        var parameters = ids.Select((id, i) => ("@id" + i, (object?)id)).ToArray();
        return await SqlCommands.ListAsync(c, tx,
            $"""
            SELECT {DeliveryColumns}, {ServiceColumns}, COALESCE(d.payload, p.payload)
            FROM deliveries d JOIN post_services s ON s.id = d.service_id LEFT JOIN pushes p ON p.id = d.push_id
            WHERE d.id IN ({string.Join(", ", names)}) ORDER BY d.next_attempt_at, d.id
            """,
            r => new ClaimedDelivery(ReadDelivery(r), ReadService(r, DeliveryColumnCount), r.NullableText(DeliveryColumnCount + ServiceColumnCount) ?? ""),
            ct, parameters).ConfigureAwait(false);
    }
}
