using System.Data.Common;
using Posthorn.Core.Deliveries;

namespace Posthorn.Storage.Sql;

public sealed partial class SqlStore
{
    public Task<IReadOnlyList<int?>> SettleAsync(string nodeId, IReadOnlyList<Settlement> settlements, CancellationToken ct) =>
        WriteAsync<IReadOnlyList<int?>>(async (c, tx) =>
        {
            var results = new int?[settlements.Count];
            for (var i = 0; i < settlements.Count; i++)
            {
                results[i] = await SettleOneAsync(c, tx, nodeId, settlements[i], ct).ConfigureAwait(false);
            }

            return results;
        }, ct);

    private static async Task<int?> SettleOneAsync(DbConnection c, DbTransaction tx, string nodeId, Settlement settlement, CancellationToken ct)
    {
        var attempt = settlement.Attempt;
        var pending = settlement.Status == DeliveryStatus.Pending;

        // The lease check and the move are one statement: a node whose lease was lost (expired and
        // re-claimed elsewhere) writes nothing, so the new holder's attempt is the one recorded.
        var moved = await SqlCommands.ListAsync(c, tx,
            """
            UPDATE deliveries SET status = @st, attempt_count = attempt_count + 1, round_attempts = round_attempts + 1,
                next_attempt_at = COALESCE(@next, next_attempt_at), completed_at = @done, lease_owner = NULL, lease_until = NULL,
                last_response_status = @rs, last_error = @err
            WHERE id = @id AND lease_owner = @node
            RETURNING attempt_count, service_id
            """,
            r => (Number: r.Int(0), ServiceId: r.Long(1)),
            ct, ("@st", settlement.Status), ("@next", pending ? settlement.NextAttemptAt : null), ("@done", pending ? null : attempt.StartedAt + attempt.Duration),
            ("@rs", attempt.ResponseStatus), ("@err", attempt.Error), ("@id", attempt.DeliveryId), ("@node", nodeId)).ConfigureAwait(false);
        if (moved.Count == 0)
        {
            return null;
        }

        var (number, serviceId) = moved[0];

        // The attempt's number comes from the row, not the caller, so it is right even after a redelivery raced the send.
        await SqlCommands.ExecuteAsync(c, tx,
            $"INSERT INTO attempts ({AttemptColumns}) VALUES (@id, @n, @node, @start, @ms, @url, @reqh, @reqb, @rs, @resh, @resb, @err, @o)",
            ct, ("@id", attempt.DeliveryId), ("@n", number), ("@node", attempt.NodeId), ("@start", attempt.StartedAt), ("@ms", attempt.Duration),
            ("@url", attempt.RequestUrl), ("@reqh", attempt.RequestHeaders), ("@reqb", attempt.RequestBody), ("@rs", attempt.ResponseStatus),
            ("@resh", attempt.ResponseHeaders), ("@resb", attempt.ResponseBody), ("@err", attempt.Error), ("@o", attempt.Outcome)).ConfigureAwait(false);

        var failures = await SqlCommands.ScalarAsync(c, tx,
            """
            UPDATE post_services SET consecutive_failures = CASE WHEN @ok = 1 THEN 0 ELSE consecutive_failures + 1 END,
                last_outcome = @o, last_attempt_at = @start
            WHERE id = @s RETURNING consecutive_failures
            """,
            ct, ("@ok", attempt.Outcome == AttemptOutcome.Succeeded), ("@o", attempt.Outcome), ("@start", attempt.StartedAt), ("@s", serviceId)).ConfigureAwait(false);
        return Convert.ToInt32(failures, System.Globalization.CultureInfo.InvariantCulture);
    }
}
