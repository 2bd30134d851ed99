using Posthorn.Core.Deliveries;

namespace Posthorn.Storage.Sql;

public sealed partial class SqlStore
{
    // The lease check and the move are one statement: a node whose lease was lost (expired and
    // re-claimed elsewhere) writes nothing, so the new holder's attempt is the one recorded.
    private const string MoveSql =
        """
        UPDATE deliveries SET status = @st, attempt_count = attempt_count + 1, round_attempts = round_attempts + 1,
            next_attempt_at = COALESCE(@next, next_attempt_at), completed_at = @done, lease_owner = NULL, lease_until = NULL,
            last_response_status = @rs, last_error = @err
        WHERE id = @id AND lease_owner = @node
        RETURNING attempt_count, service_id
        """;

    // The request body is stored once (request_bodies, by digest); the attempt row keeps '' inline.
    private const string InsertAttemptSql =
        $"INSERT INTO attempts ({AttemptColumns}, request_body_id) VALUES (@id, @n, @node, @start, @ms, @url, @reqh, '', @rs, @resh, @resb, @err, @o, @bid)";

    /// <summary>
    /// The attempt insert as this database runs it in a batch. PostgreSQL's batch lines results up
    /// with statements, so the insert returns a row there; SQLite runs statements one by one and
    /// nothing reads the row, and its RETURNING collects rows in a temporary table first (measured at
    /// 2–4 µs per inserted row, about a twentieth of the settlement).
    /// </summary>
    private string InsertAttemptStatement => dialect is Sqlite.SqliteDialect ? InsertAttemptSql : InsertAttemptSql + " RETURNING number, 0";

    // DO UPDATE (not DO NOTHING) so the row is returned, and on PostgreSQL locked, when it exists:
    // a prune running at the same time cannot delete it before this batch's attempts point at it.
    private const string StoreBodySql =
        "INSERT INTO request_bodies (digest, body) VALUES (@d, @b) ON CONFLICT (digest) DO UPDATE SET digest = excluded.digest RETURNING id, 0";

    // A success clears the pause with the count: the receiver works again (a probe, or a send that was
    // in flight when the pause began), so the service is neither shown nor treated as paused.
    private const string HealthSql =
        """
        UPDATE post_services SET consecutive_failures = CASE WHEN @ok = 1 THEN 0 ELSE consecutive_failures + 1 END,
            paused_until = CASE WHEN @ok = 1 THEN NULL ELSE paused_until END,
            last_outcome = @o, last_attempt_at = @start
        WHERE id = @s RETURNING consecutive_failures, 0
        """;

    /// <summary>
    /// Two round trips per batch on PostgreSQL, whatever its size: every move and the batch's distinct
    /// request bodies, then every attempt and health update for the moves that held their lease. Health updates run in settlement order, so
    /// each returns the count as it stood after its own attempt; a service whose attempts in the batch
    /// all succeeded gets one update for all of them (its count after each is 0), so a busy batch
    /// writes its services' rows once rather than once per attempt.
    /// </summary>
    public Task<IReadOnlyList<int?>> SettleAsync(string nodeId, IReadOnlyList<Settlement> settlements, CancellationToken ct) =>
        WriteAsync<IReadOnlyList<int?>>(async (c, tx) =>
        {
            var moves = settlements.Select(s =>
            {
                var a = s.Attempt;
                var pending = s.Status == DeliveryStatus.Pending;
                return (MoveSql, new (string, object?)[]
                {
                    ("@st", s.Status), ("@next", pending ? s.NextAttemptAt : null), ("@done", pending ? null : a.StartedAt + a.Duration),
                    ("@rs", a.ResponseStatus), ("@err", a.Error), ("@id", a.DeliveryId), ("@node", nodeId),
                });
            }).ToList();

            // One row per distinct body (one push's deliveries in one format share it), in digest order
            // so two nodes' batches lock shared rows in the same order. A body stored for a move that
            // lost its lease is left for the pruner.
            var (bodies, bodyOf) = RequestBodies.Of(settlements.Select(s => s.Attempt.RequestBody).ToList());
            moves.AddRange(bodies.Select(b => (StoreBodySql, new (string, object?)[] { ("@d", b.Digest), ("@b", b.Body) })));
            var moved = await SqlStatements.QueryEachAsync(c, tx, moves, r => (r.Long(0), r.Long(1)), ct).ConfigureAwait(false);

            // Services whose every held attempt in this batch succeeded, with the last such attempt (its
            // outcome and start are what the service row keeps, as the per-attempt updates would leave it).
            var lastSuccess = new Dictionary<long, int>();
            var mixed = new HashSet<long>();
            for (var i = 0; i < settlements.Count; i++)
            {
                if (moved[i].Count == 0)
                {
                    continue;
                }

                var serviceId = moved[i][0].Item2;
                if (settlements[i].Attempt.Outcome != AttemptOutcome.Succeeded)
                {
                    mixed.Add(serviceId);
                }
                else
                {
                    lastSuccess[serviceId] = i;
                }
            }

            var writes = new List<(string, (string, object?)[])>();
            var healthWrite = new int[settlements.Count]; // index in writes of the health update that answers for settlement i, -1 if none
            var health = new List<(long ServiceId, int Index)>();
            for (var i = 0; i < settlements.Count; i++)
            {
                healthWrite[i] = -1;
                if (moved[i].Count == 0)
                {
                    continue;
                }

                var (number, serviceId) = moved[i][0];
                var a = settlements[i].Attempt;

                // The number comes from the row, not the caller, so it is right even after a redelivery raced the send.
                writes.Add((InsertAttemptStatement, [("@id", a.DeliveryId), ("@n", number), ("@node", a.NodeId), ("@start", a.StartedAt), ("@ms", a.Duration),
                    ("@url", a.RequestUrl), ("@reqh", a.RequestHeaders), ("@bid", moved[settlements.Count + bodyOf[i]][0].Item1), ("@rs", a.ResponseStatus),
                    ("@resh", a.ResponseHeaders), ("@resb", a.ResponseBody), ("@err", a.Error), ("@o", a.Outcome)]));
                if (mixed.Contains(serviceId) || lastSuccess[serviceId] == i)
                {
                    health.Add((serviceId, i));
                }
            }

            // Service rows are locked in id order (each service's own updates still in settlement order):
            // two nodes settling batches that share services then never wait on each other in a cycle
            // (PostgreSQL reported deadlocks between two nodes' settlements otherwise).
            foreach (var (serviceId, i) in health.OrderBy(h => h.ServiceId).ThenBy(h => h.Index))
            {
                var a = settlements[i].Attempt;
                healthWrite[i] = writes.Count;
                writes.Add((HealthSql, [("@ok", a.Outcome == AttemptOutcome.Succeeded), ("@o", a.Outcome), ("@start", a.StartedAt), ("@s", serviceId)]));
            }

            var written = await SqlStatements.QueryEachAsync(c, tx, writes, r => r.Long(0), ct).ConfigureAwait(false);
            var results = new int?[settlements.Count];
            for (var i = 0; i < settlements.Count; i++)
            {
                if (healthWrite[i] >= 0)
                {
                    results[i] = (int)written[healthWrite[i]][0];
                }
                else if (moved[i].Count > 0)
                {
                    results[i] = 0; // a success of an all-success service: answered by its one update (a success leaves 0)
                }
            }

            return results;
        }, ct);
}
