using System.Data.Common;
using Posthorn.Core.Deliveries;

namespace Posthorn.Storage.Sql;

public sealed partial class SqlStore
{
    private const string DeliveryColumns =
        "d.id, d.service_id, d.repository_id, d.push_id, d.event, d.status, d.attempt_count, d.round_attempts, d.created_at, d.next_attempt_at, d.completed_at, d.last_response_status, d.last_error";

    private const int DeliveryColumnCount = 13;

    private const string AttemptColumns =
        "delivery_id, number, node_id, started_at, duration_ms, request_url, request_headers, request_body, response_status, response_headers, response_body, error, outcome";

    private static Delivery ReadDelivery(DbDataReader r) =>
        new(r.Guid(0), r.Long(1), r.Long(2), r.NullableLong(3), r.Text(4), (DeliveryStatus)r.Int(5), r.Int(6), r.Int(7),
            r.Time(8), r.Time(9), r.NullableTime(10), r.NullableInt(11), r.NullableText(12));

    // Attempts stored since request bodies moved to their own table point at theirs; older ones keep it inline.
    private const string AttemptReadColumns =
        "a.delivery_id, a.number, a.node_id, a.started_at, a.duration_ms, a.request_url, a.request_headers, COALESCE(b.body, a.request_body), " +
        "a.response_status, a.response_headers, a.response_body, a.error, a.outcome";

    private static Attempt ReadAttempt(DbDataReader r) =>
        new(r.Guid(0), r.Int(1), r.Text(2), r.Time(3), TimeSpan.FromMilliseconds(r.Long(4)), r.Text(5), r.Text(6), r.Text(7),
            r.NullableInt(8), r.NullableText(9), r.NullableText(10), r.NullableText(11), (AttemptOutcome)r.Int(12));

    public async Task<Delivery> EnqueueAsync(long serviceId, string eventName, string payload, DateTimeOffset now, CancellationToken ct)
    {
        var delivery = await WriteAsync(async (c, tx) =>
        {
            await LockHeldQueuesAsync(c, tx, shared: true, "s.id = @s", ct, ("@s", serviceId)).ConfigureAwait(false);
            var (repositoryId, held) = await SqlCommands.ListAsync(c, tx, "SELECT s.repository_id, s.queue_held FROM post_services s WHERE s.id = @s",
                r => (r.Long(0), r.Long(1) == 1), ct, ("@s", serviceId)).ConfigureAwait(false) is [var service] ? service
                : throw new InvalidOperationException($"There is no post service {serviceId}.");
            var id = Guid.CreateVersion7(now);
            await InsertDeliveryAsync(c, tx, id, serviceId, repositoryId, null, eventName, payload, now, ct, held).ConfigureAwait(false);
            await NotifyInTransactionAsync(c, tx, ct).ConfigureAwait(false);
            return (await SqlCommands.SingleOrDefaultAsync(c, tx, $"SELECT {DeliveryColumns} FROM deliveries d WHERE d.id = @id", ReadDelivery, ct, ("@id", id)).ConfigureAwait(false))!;
        }, ct).ConfigureAwait(false);
        SignalQueued();
        return delivery;
    }

    public Task<ClaimedDelivery> EnqueueClaimedAsync(long serviceId, string eventName, string payload, string nodeId, DateTimeOffset now, TimeSpan lease, CancellationToken ct) =>
        WriteAsync(async (c, tx) =>
        {
            var repositoryId = await SqlCommands.ScalarAsync(c, tx, "SELECT repository_id FROM post_services WHERE id = @s", ct, ("@s", serviceId)).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"There is no post service {serviceId}.");
            var id = Guid.CreateVersion7(now);
            await InsertDeliveryAsync(c, tx, id, serviceId, (long)repositoryId, null, eventName, payload, now, ct).ConfigureAwait(false);
            await SqlCommands.ExecuteAsync(c, tx,
                "UPDATE deliveries SET lease_owner = @node, lease_until = @until WHERE id = @id",
                ct, ("@node", nodeId), ("@until", now + lease), ("@id", id)).ConfigureAwait(false);
            return (await LoadClaimedAsync(c, tx, [id.ToString()], ct).ConfigureAwait(false))[0];
        }, ct);

    public Task<IReadOnlyList<Delivery>> ListDeliveriesAsync(long serviceId, DeliveryStatus? status, int limit, Guid? beforeId, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<Delivery>>(async c =>
        {
            var where = "d.service_id = @s" + (status is null ? "" : " AND d.status = @st") + (beforeId is null ? "" : " AND d.id < @b");
            var parameters = new List<(string, object?)> { ("@s", serviceId), ("@l", limit) };
            if (status is not null)
            {
                parameters.Add(("@st", status.Value));
            }

            if (beforeId is not null)
            {
                parameters.Add(("@b", beforeId.Value));
            }

            return await SqlCommands.ListAsync(c, null, $"SELECT {DeliveryColumns} FROM deliveries d WHERE {where} ORDER BY d.id DESC LIMIT @l",
                ReadDelivery, ct, [.. parameters]).ConfigureAwait(false);
        }, ct);

    public Task<DeliveryDetail?> FindDeliveryAsync(long serviceId, Guid deliveryId, CancellationToken ct) =>
        ReadAsync(async c =>
        {
            var delivery = await SqlCommands.SingleOrDefaultAsync(c, null, $"SELECT {DeliveryColumns} FROM deliveries d WHERE d.id = @id AND d.service_id = @s",
                ReadDelivery, ct, ("@id", deliveryId), ("@s", serviceId)).ConfigureAwait(false);
            if (delivery is null)
            {
                return null;
            }

            var attempts = await SqlCommands.ListAsync(c, null, $"SELECT {AttemptReadColumns} FROM attempts a LEFT JOIN request_bodies b ON b.id = a.request_body_id WHERE a.delivery_id = @id ORDER BY a.number",
                ReadAttempt, ct, ("@id", deliveryId)).ConfigureAwait(false);
            return new DeliveryDetail(delivery, attempts);
        }, ct);

    public Task<DateTimeOffset?> NextDueAtAsync(CancellationToken ct) =>
        ReadAsync(async c =>
        {
            var value = await SqlCommands.ScalarAsync(c, null, NextDueStatement(dialect), ct).ConfigureAwait(false);
            return value is null ? (DateTimeOffset?)null : DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
        }, ct);

    /// <summary>
    /// When the dispatcher should look again. A lease still counts while it lasts: the row comes back
    /// when the lease runs out. A held queue (SqlStore.HeldQueues.cs) is due at its oldest held row's
    /// time or its pause's end, whichever is later, read per service from the held rows' index; one
    /// with no held row at all is left out, or an idle dispatcher would be woken for nothing again and
    /// again (internal: a test checks SQLite's plan for it).
    /// </summary>
    internal static string NextDueStatement(SqlDialect dialect)
    {
        var due = dialect.Greatest("d.next_attempt_at", "COALESCE(s.paused_until, 0)", "COALESCE(d.lease_until, 0)");
        var heldDue = dialect.Greatest("q.first_due", "COALESCE(q.paused_until, 0)", "0");
        return $"""
        SELECT MIN(due) FROM (
            SELECT MIN({due}) AS due FROM deliveries d JOIN post_services s ON s.id = d.service_id
            WHERE d.status = 0 AND d.held = 0 AND s.is_active = 1 AND s.disabled_at IS NULL
            UNION ALL
            SELECT MIN({heldDue}) AS due FROM (
                SELECT s.paused_until, (SELECT MIN(h.next_attempt_at) FROM {HeldRowsOf(dialect, "h", "s.id")}) AS first_due
                FROM post_services s WHERE s.queue_held = 1 AND s.is_active = 1 AND s.disabled_at IS NULL) q
            WHERE q.first_due IS NOT NULL) t
        """;
    }

    /// <summary>Lets go held deliveries of services whose queue is not held, reading the held rows only, through their index (internal: a test checks SQLite's plan for it).</summary>
    internal static string StrayHeldStatement(SqlDialect dialect) =>
        $"""
        UPDATE deliveries SET held = 0 WHERE id IN (
            SELECT h.id FROM post_services s JOIN deliveries h{dialect.IndexedBy(HeldIndex)} ON h.service_id = s.id AND h.status = 0 AND h.held = 1
            WHERE s.queue_held = 0)
        """;

    public Task<long> CountPendingAsync(CancellationToken ct) =>
        ReadAsync(async c => Convert.ToInt64(
            await SqlCommands.ScalarAsync(c, null, "SELECT COUNT(*) FROM deliveries WHERE status = 0", ct).ConfigureAwait(false),
            System.Globalization.CultureInfo.InvariantCulture), ct);

    /// <summary>
    /// Deletes finished deliveries (their attempts by cascade), then the request bodies no attempt
    /// points at any more. Also lets go any held delivery whose service's queue is not held: the rules
    /// of SqlStore.HeldQueues.cs leave none, and this makes sure a way round them found later costs a
    /// delay, never a delivery.
    /// </summary>
    public Task<int> PruneAsync(DateTimeOffset olderThan, CancellationToken ct) =>
        WriteAsync(async (c, tx) =>
        {
            await SqlCommands.ExecuteAsync(c, tx, StrayHeldStatement(dialect), ct).ConfigureAwait(false);
            var pruned = await SqlCommands.ExecuteAsync(c, tx, "DELETE FROM deliveries WHERE status <> 0 AND completed_at < @t", ct, ("@t", olderThan)).ConfigureAwait(false);

            // Also collects bodies left when services or repositories were deleted (their attempts went by cascade).
            await SqlCommands.ExecuteAsync(c, tx,
                "DELETE FROM request_bodies WHERE NOT EXISTS (SELECT 1 FROM attempts a WHERE a.request_body_id = request_bodies.id)", ct).ConfigureAwait(false);
            return pruned;
        }, ct);
}
