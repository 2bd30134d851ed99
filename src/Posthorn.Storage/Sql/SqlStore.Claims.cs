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
        var (candidates, shareParameters) = ClaimCandidates(share);
        return WriteAsync(async (c, tx) =>
        {
            // One conditional UPDATE takes the lease. PostgreSQL's SKIP LOCKED lets concurrent nodes
            // pass each other's rows; the outer lease test re-checks a row that another claimer
            // committed after this statement's snapshot was taken. The lock is taken on a plain
            // SELECT over the candidates because PostgreSQL refuses FOR UPDATE next to a window function.
            var ids = await SqlCommands.ListAsync(c, tx,
                $"""
                UPDATE deliveries SET lease_owner = @node, lease_until = @until
                WHERE (lease_until IS NULL OR lease_until <= @now) AND id IN (
                    SELECT d.id FROM deliveries d
                    WHERE d.id IN ({candidates}) AND d.status = 0 AND (d.lease_until IS NULL OR d.lease_until <= @now)
                    ORDER BY d.next_attempt_at LIMIT @max{dialect.ClaimLockClause})
                RETURNING id
                """,
                r => r.Text(0), ct, [("@node", nodeId), ("@until", now + lease), ("@now", now), ("@max", max), .. shareParameters]).ConfigureAwait(false);
            return await LoadClaimedAsync(c, tx, ids, ct).ConfigureAwait(false);
        }, ct);
    }

    /// <summary>
    /// The ids of claimable deliveries: due, unleased, of an active, unpaused, enabled service; with a
    /// limited share, only each service's oldest <see cref="ServiceShare.Remaining"/> ones (ranked per
    /// service, so a backlog of one service cannot hide another's delivery from the claim).
    /// </summary>
    private static (string Sql, (string, object?)[] Parameters) ClaimCandidates(ServiceShare share)
    {
        const string Due = """
            FROM deliveries d JOIN post_services s ON s.id = d.service_id
            WHERE d.status = 0 AND d.next_attempt_at <= @now AND (d.lease_until IS NULL OR d.lease_until <= @now)
              AND s.is_active = 1 AND s.disabled_at IS NULL AND (s.paused_until IS NULL OR s.paused_until <= @now)
            """;
        if (share.MaxPerService == int.MaxValue)
        {
            return ("SELECT d.id " + Due, []);
        }

        // Services with deliveries in flight get what is left of their share; every other service the full share.
        var busy = share.InFlight.Where(b => b.Value > 0).Select((b, i) => (Index: i, b.Key, Left: share.Remaining(b.Key))).ToList();
        var allowance = busy.Count == 0
            ? "@share"
            : $"CASE ranked.service_id {string.Join(" ", busy.Select(b => $"WHEN @busy{b.Index} THEN @left{b.Index}"))} ELSE @share END";
        (string, object?)[] parameters =
        [
            ("@share", share.MaxPerService),
            .. busy.SelectMany(b => new (string, object?)[] { ("@busy" + b.Index, b.Key), ("@left" + b.Index, b.Left) }),
        ];
        return ($"""
            SELECT ranked.id FROM (
                SELECT d.id, d.service_id, ROW_NUMBER() OVER (PARTITION BY d.service_id ORDER BY d.next_attempt_at, d.id) AS place
                {Due}) ranked
            WHERE ranked.place <= {allowance}
            """, parameters);
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
