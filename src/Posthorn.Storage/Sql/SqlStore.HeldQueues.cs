using System.Data.Common;

namespace Posthorn.Storage.Sql;

// Held queues. A claim walks the due-deliveries index oldest first; the pending deliveries of a
// service it may not send to (paused, disabled, switched off) are the oldest rows there, and it used
// to step over them one by one on every claim (27 ms per claim with 100,000 held). Holding a
// service's queue marks its pending rows held, which takes them out of that index; nothing else
// about them changes, so their order and their retry times stay as they were.
//
// The rules that keep a held delivery from being forgotten: a held row is pending, unleased and of a
// service whose queue_held is 1. A service's queue is held with its pause, disable or switch-off, in
// the same transaction, the service row first; a delivery queued while it is held is held at once.
// A claim looks at the held services: one that may send again has its rows let back (in a
// transaction of their own, the service row first); one whose pause has ended has its probe taken
// from its held rows (the lease un-holds that one row). On PostgreSQL, whatever reads queue_held to
// hold a new row share-locks the service row, so the release cannot commit between that read and
// the row (a row held after its service was let go would wait for ever).
public sealed partial class SqlStore
{
    /// <summary>Rows let back per transaction: a deep queue is released in steps, oldest first, so SQLite's one writer is not held for the whole of it.</summary>
    internal const int ReleaseChunk = 5_000;

    /// <summary>The held rows by service and due time (partial: held pending rows only).</summary>
    internal const string HeldIndex = "ix_deliveries_held";

    /// <summary>A held service seen by a claim: one that may send again (let its rows back), or one whose pause has ended (HalfOpen: probe first).</summary>
    private readonly record struct HeldQueue(long ServiceId, long OwnerId, bool HalfOpen);

    /// <summary>Holds the service's pending, unleased deliveries; the caller has already set queue_held in this transaction. PostgreSQL skips rows another transaction has locked (a claim, a move): those stay in the index, which costs a claim a step, not a delivery.</summary>
    private async Task HoldQueueAsync(DbConnection c, DbTransaction tx, long serviceId, CancellationToken ct) =>
        await SqlCommands.ExecuteAsync(c, tx,
            $"""
            UPDATE deliveries SET held = 1 WHERE id IN (
                SELECT d.id FROM deliveries d
                WHERE d.service_id = @s AND d.status = 0 AND d.held = 0 AND d.lease_owner IS NULL{dialect.ClaimLockClause})
            """,
            ct, ("@s", serviceId)).ConfigureAwait(false);

    /// <summary>Services whose queue is held and which a claim may serve now, wholly or by a probe.</summary>
    private static async Task<List<HeldQueue>> HeldQueuesAsync(DbConnection c, DbTransaction tx, DateTimeOffset now, CancellationToken ct) =>
        await SqlCommands.ListAsync(c, tx,
            """
            SELECT s.id, r.owner_id, CASE WHEN s.paused_until IS NULL THEN 0 ELSE 1 END
            FROM post_services s JOIN repositories r ON r.id = s.repository_id
            WHERE s.queue_held = 1 AND s.is_active = 1 AND s.disabled_at IS NULL AND (s.paused_until IS NULL OR s.paused_until <= @now)
            """,
            r => new HeldQueue(r.Long(0), r.Long(1), r.Long(2) == 1), ct, ("@now", now)).ConfigureAwait(false);

    /// <summary>The service's oldest due held delivery: its probe when its pause has ended.</summary>
    private async Task<string?> OldestHeldDueAsync(DbConnection c, DbTransaction tx, long serviceId, DateTimeOffset now, CancellationToken ct) =>
        (string?)await SqlCommands.ScalarAsync(c, tx, OldestHeldStatement(dialect), ct, ("@s", serviceId), ("@now", now)).ConfigureAwait(false);

    /// <summary>Service @s's oldest held delivery due by @now (internal: a test checks SQLite's plan for it).</summary>
    internal static string OldestHeldStatement(SqlDialect dialect) =>
        $"SELECT id FROM deliveries{dialect.IndexedBy(HeldIndex)} WHERE service_id = @s AND status = 0 AND held = 1 AND next_attempt_at <= @now ORDER BY next_attempt_at LIMIT 1";

    /// <summary>Lets back up to @n of service @s's held deliveries, oldest first (internal: a test checks SQLite's plan for it).</summary>
    internal static string ReleaseRowsStatement(SqlDialect dialect) =>
        $"""
        UPDATE deliveries SET held = 0 WHERE id IN (
            SELECT id FROM deliveries{dialect.IndexedBy(HeldIndex)} WHERE service_id = @s AND status = 0 AND held = 1 ORDER BY next_attempt_at LIMIT @n)
        """;

    /// <summary>Leases one held delivery (a probe) and un-holds it, so a leased row is never held (the rules above the class).</summary>
    private static async Task<List<string>> LeaseHeldAsync(DbConnection c, DbTransaction tx, string nodeId, DateTimeOffset now, TimeSpan lease, string id, CancellationToken ct) =>
        await SqlCommands.ListAsync(c, tx,
            "UPDATE deliveries SET lease_owner = @node, lease_until = @until, held = 0 WHERE id = @id AND status = 0 AND (lease_until IS NULL OR lease_until <= @now) RETURNING id",
            r => r.Text(0), ct, ("@node", nodeId), ("@until", now + lease), ("@now", now), ("@id", id)).ConfigureAwait(false);

    /// <summary>
    /// Lets the held rows of services that may send again back into the queue, oldest first, in steps
    /// of <see cref="ReleaseChunk"/>; the last step clears queue_held. Each step locks the service row
    /// first and re-tests that it may send, so a pause committed meanwhile keeps the queue held. Best
    /// effort: what is left is seen by the next claim. True when rows were let back.
    /// </summary>
    private async Task<bool> ReleaseHeldQueuesAsync(IReadOnlyList<long> serviceIds)
    {
        var released = 0;
        try
        {
            foreach (var serviceId in serviceIds)
            {
                int step;
                do
                {
                    step = await WriteAsync((c, tx) => ReleaseStepAsync(c, tx, serviceId), CancellationToken.None).ConfigureAwait(false);
                    released += Math.Max(step, 0);
                }
                while (step == ReleaseChunk);
            }
        }
        catch (Exception)
        {
        }

        SignalIfQueued(released);
        return released > 0;
    }

    /// <summary>One step of <see cref="ReleaseHeldQueuesAsync"/>: the rows let back, or -1 when the service may not send after all.</summary>
    private async Task<int> ReleaseStepAsync(DbConnection c, DbTransaction tx, long serviceId)
    {
        var mayGo = await SqlCommands.ExecuteAsync(c, tx,
            "UPDATE post_services SET queue_held = 1 WHERE id = @s AND queue_held = 1 AND is_active = 1 AND disabled_at IS NULL AND paused_until IS NULL",
            CancellationToken.None, ("@s", serviceId)).ConfigureAwait(false);
        if (mayGo == 0)
        {
            return -1;
        }

        var released = await SqlCommands.ExecuteAsync(c, tx, ReleaseRowsStatement(dialect), CancellationToken.None, ("@s", serviceId), ("@n", ReleaseChunk)).ConfigureAwait(false);
        if (released < ReleaseChunk)
        {
            await SqlCommands.ExecuteAsync(c, tx, "UPDATE post_services SET queue_held = 0 WHERE id = @s", CancellationToken.None, ("@s", serviceId)).ConfigureAwait(false);
        }

        return released;
    }

    /// <summary>" FOR SHARE" on PostgreSQL for a read of queue_held that decides whether a new row is held (the rules above the class); SQLite's one writer already excludes the release.</summary>
    private string HoldReadLock => dialect is Sqlite.SqliteDialect ? "" : " FOR SHARE OF s";
}
