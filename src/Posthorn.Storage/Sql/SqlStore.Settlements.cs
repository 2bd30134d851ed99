using System.Data.Common;
using Posthorn.Core.Deliveries;

namespace Posthorn.Storage.Sql;

public sealed partial class SqlStore
{
    // The lease check and the move are one statement: a node whose lease was lost (expired and
    // re-claimed elsewhere) writes nothing, so the new holder's attempt is the one recorded. The
    // lease's end is checked too: a settlement of this node's expired lease must not clear the lease
    // it took again since, with another send of the delivery in flight.
    private static readonly string MoveSql =
        $"""
        UPDATE deliveries SET {MoveAssignments("@")}
        WHERE id = @id AND lease_owner = @node AND lease_until <= COALESCE(@until, lease_until)
        RETURNING attempt_count, service_id, status
        """;

    /// <summary>
    /// What a move sets, from the values <paramref name="value"/>round, …st, …next, …done, …rs and …err:
    /// "@" for one row's parameters (<see cref="MoveSql"/>), "v." for a list of rows (<see cref="MoveRowsSql"/>).
    /// A redelivery while the attempt was under way started a new round (see Settlement.Round):
    /// the attempt is counted and recorded, and the delivery keeps the redelivery's state.
    /// </summary>
    private static string MoveAssignments(string value)
    {
        var sameRound = $"round_number = COALESCE({value}round, round_number)";
        return $"""
            status = CASE WHEN {sameRound} THEN {value}st ELSE status END,
                attempt_count = attempt_count + 1,
                round_attempts = CASE WHEN {sameRound} THEN round_attempts + 1 ELSE round_attempts END,
                next_attempt_at = CASE WHEN {sameRound} THEN COALESCE({value}next, next_attempt_at) ELSE next_attempt_at END,
                completed_at = CASE WHEN {sameRound} THEN {value}done ELSE completed_at END,
                lease_owner = NULL, lease_until = NULL, last_response_status = {value}rs, last_error = {value}err
            """;
    }

    // The request body is stored once (request_bodies, by digest); the attempt row keeps '' inline.
    private static readonly string InsertAttemptSql = $"INSERT INTO attempts ({AttemptColumns}, request_body_id) VALUES {AttemptValues("")}";

    /// <summary>One attempt row's values, its parameters named with <paramref name="suffix"/> (see <see cref="AttemptParameters"/>).</summary>
    private static string AttemptValues(string suffix) =>
        $"(@id{suffix}, @n{suffix}, @node{suffix}, @start{suffix}, @ms{suffix}, @url{suffix}, @reqh{suffix}, '', @rs{suffix}, @resh{suffix}, @resb{suffix}, @err{suffix}, @o{suffix}, @bid{suffix})";

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
        "INSERT INTO request_bodies (digest, body) VALUES (@d, @b) ON CONFLICT (digest) DO UPDATE SET digest = excluded.digest RETURNING id, 0, 0";

    /// <summary>
    /// The body's row as this database stores it. On PostgreSQL a body already stored (every batch but
    /// a push's first) is found and share-locked, not rewritten: the update's row lock made two nodes'
    /// settlements of one push wait for each other's commit, and wrote a new row version each time.
    /// The key-share lock still keeps a concurrent prune from deleting the row before this batch's
    /// attempts point at it (it is the lock their foreign key takes anyway); a body not found is
    /// stored as above, so two nodes storing the same new body still meet on the unique digest.
    /// </summary>
    private string StoreBodyStatement => dialect is Sqlite.SqliteDialect ? StoreBodySql : StoreSharedBodySql;

    private const string StoreSharedBodySql =
        """
        WITH found AS (SELECT id FROM request_bodies WHERE digest = @d FOR KEY SHARE),
        stored AS (
            INSERT INTO request_bodies (digest, body) SELECT @d, @b WHERE NOT EXISTS (SELECT 1 FROM found)
            ON CONFLICT (digest) DO UPDATE SET digest = excluded.digest RETURNING id)
        SELECT id, 0, 0 FROM found UNION ALL SELECT id, 0, 0 FROM stored
        """;

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
    /// writes its services' rows once rather than once per attempt. On SQLite the moves, the attempt
    /// rows and those all-success updates go many rows per statement (see <see cref="SettleInRows"/>).
    /// </summary>
    public async Task<IReadOnlyList<SettledDelivery?>> SettleAsync(string nodeId, IReadOnlyList<Settlement> settlements, CancellationToken ct)
    {
        try
        {
            return await SettleNowAsync(nodeId, settlements, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (RefusesContent(ex))
        {
            throw new RecordRefusedException($"The database refused the values of a settlement of {settlements.Count} attempts: {ex.Message}", ex);
        }
    }

    /// <summary>Refused for the values written, not for being unable to write: see <see cref="RecordRefusedException"/>.</summary>
    private bool RefusesContent(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is System.Text.EncoderFallbackException || (e is DbException db && dialect.RefusesContent(db)))
            {
                return true; // a string the driver cannot encode, or a value the database cannot hold
            }
        }

        return false;
    }

    private Task<IReadOnlyList<SettledDelivery?>> SettleNowAsync(string nodeId, IReadOnlyList<Settlement> settlements, CancellationToken ct) =>
        WriteAsync<IReadOnlyList<SettledDelivery?>>(async (c, tx) =>
        {
            // One row per distinct body (one push's deliveries in one format share it), in digest order
            // so two nodes' batches lock shared rows in the same order. A body stored for a move that
            // lost its lease is left for the pruner.
            var (bodies, bodyOf) = RequestBodies.Of(settlements.Select(s => s.Attempt.RequestBody).ToList());
            var inRows = SettleInRows(settlements);
            var (moved, bodyIds) = inRows
                ? await MoveInRowsAsync(c, tx, nodeId, settlements, bodies, ct).ConfigureAwait(false)
                : await MoveEachAsync(c, tx, nodeId, settlements, bodies, ct).ConfigureAwait(false);

            // Services whose every held attempt in this batch succeeded, with the last such attempt (its
            // outcome and start are what the service row keeps, as the per-attempt updates would leave it).
            var lastSuccess = new Dictionary<long, int>();
            var mixed = new HashSet<long>();
            for (var i = 0; i < settlements.Count; i++)
            {
                if (moved[i] is not { } move)
                {
                    continue;
                }

                if (settlements[i].Attempt.Outcome != AttemptOutcome.Succeeded)
                {
                    mixed.Add(move.ServiceId);
                }
                else
                {
                    lastSuccess[move.ServiceId] = i;
                }
            }

            var attempts = new List<(Attempt Attempt, long Number, long BodyId)>();
            var health = new List<(long ServiceId, int Index)>();
            for (var i = 0; i < settlements.Count; i++)
            {
                if (moved[i] is not { } move)
                {
                    continue;
                }

                // The number comes from the row, not the caller, so it is right even after a redelivery raced the send.
                attempts.Add((settlements[i].Attempt, move.Number, bodyIds[bodyOf[i]]));
                if (mixed.Contains(move.ServiceId) || lastSuccess[move.ServiceId] == i)
                {
                    health.Add((move.ServiceId, i));
                }
            }

            var writes = new List<(string, (string, object?)[])>();
            if (inRows)
            {
                await InsertAttemptsInRowsAsync(c, tx, attempts, ct).ConfigureAwait(false);
                await ClearHealthInRowsAsync(c, tx, health.Where(h => !mixed.Contains(h.ServiceId)).Select(h => (h.ServiceId, settlements[h.Index].Attempt)).ToList(), ct).ConfigureAwait(false);
                health.RemoveAll(h => !mixed.Contains(h.ServiceId));
            }
            else
            {
                writes.AddRange(attempts.Select(a => (InsertAttemptStatement, AttemptParameters(a.Attempt, a.Number, a.BodyId))));
            }

            // Service rows are locked in id order (each service's own updates still in settlement order):
            // two nodes settling batches that share services then never wait on each other in a cycle
            // (PostgreSQL reported deadlocks between two nodes' settlements otherwise).
            var healthWrite = new int[settlements.Count]; // index in writes of the health update that answers for settlement i, -1 if none
            Array.Fill(healthWrite, -1);
            foreach (var (serviceId, i) in health.OrderBy(h => h.ServiceId).ThenBy(h => h.Index))
            {
                var a = settlements[i].Attempt;
                healthWrite[i] = writes.Count;
                writes.Add((HealthSql, [("@ok", a.Outcome == AttemptOutcome.Succeeded), ("@o", a.Outcome), ("@start", a.StartedAt), ("@s", serviceId)]));
            }

            var written = await SqlStatements.QueryEachAsync(c, tx, writes, r => r.Long(0), ct).ConfigureAwait(false);
            var results = new SettledDelivery?[settlements.Count];
            for (var i = 0; i < settlements.Count; i++)
            {
                if (moved[i] is not { } move)
                {
                    continue;
                }

                // A success of an all-success service is answered by its service's one update (a success leaves 0).
                var failures = healthWrite[i] >= 0 ? (int)written[healthWrite[i]][0] : 0;
                results[i] = new SettledDelivery(failures, move.Status);
            }

            return results;
        }, ct);

    /// <summary>Every move and every distinct body, a statement each (one round trip on PostgreSQL): each held move, and each body's row id (its rows are shaped as a move's, id first).</summary>
    private async Task<(Moved?[] Moved, long[] BodyIds)> MoveEachAsync(
        DbConnection c, DbTransaction tx, string nodeId, IReadOnlyList<Settlement> settlements, List<(string Digest, string Body)> bodies, CancellationToken ct)
    {
        var statements = settlements.Select(s =>
        {
            var parameters = new List<(string, object?)>(MoveParameterCount);
            AddMoveParameters(parameters, s, null, nodeId);
            return (MoveSql, parameters.ToArray());
        }).ToList();
        statements.AddRange(bodies.Select(b => (StoreBodyStatement, new (string, object?)[] { ("@d", b.Digest), ("@b", b.Body) })));
        var rows = await SqlStatements.QueryEachAsync(c, tx, statements, r => new Moved(r.Long(0), r.Long(1), (DeliveryStatus)r.Long(2)), ct).ConfigureAwait(false);
        var moved = new Moved?[settlements.Count];
        for (var i = 0; i < settlements.Count; i++)
        {
            moved[i] = rows[i].Count == 0 ? null : rows[i][0];
        }

        return (moved, rows.Skip(settlements.Count).Select(r => r[0].Number).ToArray());
    }

    /// <summary>A move that held its lease: the attempt's number (from the row), its service, and the status the row was left in.</summary>
    private readonly record struct Moved(long Number, long ServiceId, DeliveryStatus Status);

    /// <summary>
    /// Adds a move's parameters to <paramref name="into"/>, named for row <paramref name="row"/> of a
    /// many-row statement (null: a single-row one), in the order they first appear in the statement.
    /// </summary>
    private static void AddMoveParameters(List<(string, object?)> into, Settlement s, int? row, string? nodeId)
    {
        var a = s.Attempt;
        var pending = s.Status == DeliveryStatus.Pending;
        if (nodeId is null)
        {
            into.Add((ParameterNames.Of("@id", row), a.DeliveryId));
        }

        into.Add((ParameterNames.Of("@round", row), s.Round));
        into.Add((ParameterNames.Of("@st", row), s.Status));
        into.Add((ParameterNames.Of("@next", row), pending ? s.NextAttemptAt : null));
        into.Add((ParameterNames.Of("@done", row), pending ? null : a.StartedAt + a.Duration));
        into.Add((ParameterNames.Of("@rs", row), a.ResponseStatus));
        into.Add((ParameterNames.Of("@err", row), a.Error));
        if (nodeId is not null)
        {
            into.Add((ParameterNames.Of("@id", row), a.DeliveryId));
            into.Add(("@node", nodeId));
        }

        into.Add((ParameterNames.Of("@until", row), s.LeaseUntil));
    }

    /// <summary>The parameters of a move, at most: eight of its own and the node's.</summary>
    private const int MoveParameterCount = 9;

    /// <summary>An attempt row's parameters, in the order they appear in the insert.</summary>
    private static (string, object?)[] AttemptParameters(Attempt a, long number, long bodyId)
    {
        var parameters = new (string, object?)[AttemptParameterCount];
        WriteAttemptParameters(parameters, a, number, bodyId, null);
        return parameters;
    }

    /// <summary>Writes an attempt row's parameters into <paramref name="into"/>, named for row <paramref name="row"/> of a many-row insert (null: a single-row one), in the order they appear in the insert.</summary>
    private static void WriteAttemptParameters(Span<(string, object?)> into, Attempt a, long number, long bodyId, int? row)
    {
        into[0] = (ParameterNames.Of("@id", row), a.DeliveryId);
        into[1] = (ParameterNames.Of("@n", row), number);
        into[2] = (ParameterNames.Of("@node", row), a.NodeId);
        into[3] = (ParameterNames.Of("@start", row), a.StartedAt);
        into[4] = (ParameterNames.Of("@ms", row), a.Duration);
        into[5] = (ParameterNames.Of("@url", row), a.RequestUrl);
        into[6] = (ParameterNames.Of("@reqh", row), a.RequestHeaders);
        into[7] = (ParameterNames.Of("@rs", row), a.ResponseStatus);
        into[8] = (ParameterNames.Of("@resh", row), a.ResponseHeaders);
        into[9] = (ParameterNames.Of("@resb", row), a.ResponseBody);
        into[10] = (ParameterNames.Of("@err", row), a.Error);
        into[11] = (ParameterNames.Of("@o", row), a.Outcome);
        into[12] = (ParameterNames.Of("@bid", row), bodyId);
    }

    /// <summary>The number of parameters of an attempt row.</summary>
    private const int AttemptParameterCount = 13;
}
