using System.Data.Common;
using Posthorn.Core.Deliveries;

namespace Posthorn.Storage.Sql;

public sealed partial class SqlStore
{
    public Task<IReadOnlyList<ClaimedDelivery>> ClaimDueAsync(string nodeId, DateTimeOffset now, TimeSpan lease, int max, CancellationToken ct) =>
        WriteAsync(async (c, tx) =>
        {
            // One conditional UPDATE takes the lease. PostgreSQL's SKIP LOCKED lets concurrent nodes
            // pass each other's rows; the outer lease test re-checks a row that another claimer
            // committed after this statement's snapshot was taken.
            var ids = await SqlCommands.ListAsync(c, tx,
                $"""
                UPDATE deliveries SET lease_owner = @node, lease_until = @until
                WHERE (lease_until IS NULL OR lease_until <= @now) AND id IN (
                    SELECT d.id FROM deliveries d JOIN post_services s ON s.id = d.service_id
                    WHERE d.status = 0 AND d.next_attempt_at <= @now AND (d.lease_until IS NULL OR d.lease_until <= @now)
                      AND s.is_active = 1 AND s.disabled_at IS NULL AND (s.paused_until IS NULL OR s.paused_until <= @now)
                    ORDER BY d.next_attempt_at LIMIT @max{dialect.ClaimLockClause})
                RETURNING id
                """,
                r => r.Text(0), ct, ("@node", nodeId), ("@until", now + lease), ("@now", now), ("@max", max)).ConfigureAwait(false);
            return await LoadClaimedAsync(c, tx, ids, ct).ConfigureAwait(false);
        }, ct);

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
