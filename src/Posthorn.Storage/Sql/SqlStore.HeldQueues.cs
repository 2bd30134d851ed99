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
// hold a new row takes the service's held-queue lock first (LockHeldQueuesAsync), so the release
// cannot commit between that read and the row (a row held after its service was let go would wait
// for ever).
public sealed partial class SqlStore
{
    /// <summary>Rows let back per transaction: a deep queue is released in steps, oldest first, so SQLite's one writer is not held for the whole of it.</summary>
    internal const int ReleaseChunk = 5_000;

    /// <summary>The held rows by service and due time (partial: held pending rows only).</summary>
    internal const string HeldIndex = "ix_deliveries_held";

    /// <summary>
    /// "deliveries <paramref name="alias"/> … WHERE" the held rows of service <paramref name="serviceId"/>,
    /// read through <see cref="HeldIndex"/> (its predicate, status 0 and held 1, spelled once here).
    /// </summary>
    private static string HeldRowsOf(SqlDialect dialect, string alias, string serviceId) =>
        $"deliveries {alias}{dialect.IndexedBy(HeldIndex)} WHERE {alias}.service_id = {serviceId} AND {alias}.status = 0 AND {alias}.held = 1";

    /// <summary>A held service a claim may serve now: one that may send again (its rows are let back), or one whose pause has ended, with the probe it sends (its oldest due held delivery).</summary>
    private readonly record struct HeldQueue(long ServiceId, long OwnerId, string? Probe)
    {
        public bool MayGo => Probe is null;
    }

    /// <summary>Holds the service's pending, unleased deliveries; the caller has already set queue_held in this transaction. PostgreSQL skips rows another transaction has locked (a claim's candidates): those stay in the index, which costs a claim a step, not a delivery.</summary>
    private async Task HoldQueueAsync(DbConnection c, DbTransaction tx, long serviceId, CancellationToken ct) =>
        await SqlCommands.ExecuteAsync(c, tx,
            $"""
            UPDATE deliveries SET held = 1 WHERE id IN (
                SELECT d.id FROM deliveries d
                WHERE d.service_id = @s AND d.status = 0 AND d.held = 0 AND d.lease_owner IS NULL{dialect.ClaimLockClause})
            """,
            ct, ("@s", serviceId)).ConfigureAwait(false);

    /// <summary>
    /// Held services a claim may serve now, in id order: those that may send again, and those whose
    /// pause has ended and that have a held delivery due (a half-open service with none is left out,
    /// so it costs a claim one index step, not a statement).
    /// </summary>
    private async Task<List<HeldQueue>> HeldQueuesAsync(DbConnection c, DbTransaction tx, DateTimeOffset now, CancellationToken ct) =>
        await SqlCommands.ListAsync(c, tx, HeldQueuesStatement(dialect),
            r => new HeldQueue(r.Long(0), r.Long(1), r.NullableText(2)), ct, ("@now", now)).ConfigureAwait(false);

    /// <summary>The held services a claim may serve at @now, with a half-open one's probe (internal: a test checks SQLite's plan for it).</summary>
    internal static string HeldQueuesStatement(SqlDialect dialect) =>
        $"""
        SELECT q.id, q.owner_id, CASE WHEN q.paused_until IS NULL THEN NULL ELSE q.probe END FROM (
            SELECT s.id, r.owner_id, s.paused_until,
                (SELECT h.id FROM {HeldRowsOf(dialect, "h", "s.id")} AND h.next_attempt_at <= @now ORDER BY h.next_attempt_at LIMIT 1) AS probe
            FROM post_services s JOIN repositories r ON r.id = s.repository_id
            WHERE s.queue_held = 1 AND s.is_active = 1 AND s.disabled_at IS NULL AND (s.paused_until IS NULL OR s.paused_until <= @now)) q
        WHERE q.paused_until IS NULL OR q.probe IS NOT NULL
        ORDER BY q.id
        """;

    /// <summary>Lets back up to @n of service @s's held deliveries, oldest first (internal: a test checks SQLite's plan for it).</summary>
    internal static string ReleaseRowsStatement(SqlDialect dialect) =>
        $"""
        UPDATE deliveries SET held = 0 WHERE id IN (
            SELECT h.id FROM {HeldRowsOf(dialect, "h", "@s")} ORDER BY h.next_attempt_at LIMIT @n)
        """;

    /// <summary>Leases one held delivery (a probe) and un-holds it, so a leased row is never held (the rules above the class).</summary>
    private static async Task<List<string>> LeaseHeldAsync(DbConnection c, DbTransaction tx, string nodeId, DateTimeOffset now, TimeSpan lease, string id, CancellationToken ct) =>
        await SqlCommands.ListAsync(c, tx,
            "UPDATE deliveries SET lease_owner = @node, lease_until = @until, held = 0 WHERE id = @id AND status = 0 AND (lease_until IS NULL OR lease_until <= @now) RETURNING id",
            r => r.Text(0), ct, ("@node", nodeId), ("@until", now + lease), ("@now", now), ("@id", id)).ConfigureAwait(false);

    /// <summary>
    /// Lets back one step (<see cref="ReleaseChunk"/> rows, oldest first) of each service's held queue,
    /// a transaction per service; the step that empties a queue clears queue_held, and what is left is
    /// the next claim's. A step takes the service's held-queue lock, then its row, and re-tests that
    /// it may send, so a pause committed meanwhile keeps the queue held. Whether rows came back; a
    /// step that fails is thrown once the others have been tried.
    /// </summary>
    private async Task<bool> ReleaseHeldQueuesAsync(IReadOnlyList<long> serviceIds)
    {
        var released = 0;
        System.Runtime.ExceptionServices.ExceptionDispatchInfo? failure = null;
        foreach (var serviceId in serviceIds)
        {
            try
            {
                released += await WriteAsync((c, tx) => ReleaseStepAsync(c, tx, serviceId), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                failure ??= System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex);
            }
        }

        SignalIfQueued(released);
        failure?.Throw();
        return released > 0;
    }

    /// <summary>One step of <see cref="ReleaseHeldQueuesAsync"/>: the rows let back.</summary>
    private async Task<int> ReleaseStepAsync(DbConnection c, DbTransaction tx, long serviceId)
    {
        await LockHeldQueuesAsync(c, tx, shared: false, "s.id = @s", CancellationToken.None, ("@s", serviceId)).ConfigureAwait(false);
        var mayGo = await SqlCommands.ExecuteAsync(c, tx,
            "UPDATE post_services SET queue_held = 1 WHERE id = @s AND queue_held = 1 AND is_active = 1 AND disabled_at IS NULL AND paused_until IS NULL",
            CancellationToken.None, ("@s", serviceId)).ConfigureAwait(false);
        if (mayGo == 0)
        {
            return 0;
        }

        var released = await SqlCommands.ExecuteAsync(c, tx, ReleaseRowsStatement(dialect), CancellationToken.None,
            ("@s", serviceId), ("@n", ReleaseChunk)).ConfigureAwait(false);
        if (released < ReleaseChunk)
        {
            await SqlCommands.ExecuteAsync(c, tx,
                $"UPDATE post_services SET queue_held = 0 WHERE id = @s AND NOT EXISTS (SELECT 1 FROM {HeldRowsOf(dialect, "h", "@s")})",
                CancellationToken.None, ("@s", serviceId)).ConfigureAwait(false);
        }

        return released;
    }

    /// <summary>
    /// On PostgreSQL, a transaction-scoped advisory lock per service (SQLite's one writer already
    /// excludes the release): shared by whatever reads queue_held to decide whether a new row is held
    /// (before it reads it, and for every service the read could see: a repository's services active
    /// or not, since one may be switched on in between), exclusive for a release step. A release therefore cannot commit between
    /// that read and the new row, and a row held after its service was let go, which nothing would
    /// let go again, cannot happen. Not the service row's own lock: a settlement locks its delivery
    /// and then that row, a redelivery or a push would lock them the other way round, and PostgreSQL
    /// found the cycles.
    /// </summary>
    private async Task LockHeldQueuesAsync(DbConnection c, DbTransaction tx, bool shared, string where, CancellationToken ct, params (string, object?)[] parameters)
    {
        if (dialect is Sqlite.SqliteDialect)
        {
            return;
        }

        var function = shared ? "pg_advisory_xact_lock_shared" : "pg_advisory_xact_lock";
        await SqlCommands.ExecuteAsync(c, tx,
            $"SELECT {function}({HeldQueueLockClass}, (s.id % 2147483647)::integer) FROM post_services s WHERE {where} ORDER BY s.id",
            ct, parameters).ConfigureAwait(false);
    }

    /// <summary>The first key of the held-queue locks (the second is the service id); beside the migration lock's single key, in PostgreSQL's other key space.</summary>
    private const int HeldQueueLockClass = 76784677;
}
