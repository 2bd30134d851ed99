namespace Posthorn.Storage.Sql;

public sealed partial class SqlStore
{
    // Same id (receivers de-duplicate on it), a new round, with the retry schedule from its start. A
    // lease is left alone: if a node is sending right now its settlement still lands, recording the
    // attempt without undoing the redelivery (the move sees a new round began; see Settlement.Round).
    // Held with its service's queue (SqlStore.HeldQueues.cs), unless leased: a leased row is never held.
    private const string Requeue =
        "UPDATE deliveries SET status = 0, round_number = round_number + 1, round_attempts = 0, next_attempt_at = @now, completed_at = NULL, " +
        "held = CASE WHEN lease_owner IS NULL THEN @held ELSE 0 END WHERE service_id = @s";

    public async Task<bool> RedeliverAsync(long serviceId, Guid deliveryId, DateTimeOffset now, CancellationToken ct)
    {
        var count = await RequeueAsync(Requeue + " AND id = @id", ct, ("@now", now), ("@s", serviceId), ("@id", deliveryId)).ConfigureAwait(false);
        return count == 1;
    }

    public Task<int> RedeliverFailedSinceAsync(long serviceId, DateTimeOffset since, DateTimeOffset now, CancellationToken ct) =>
        RequeueAsync(Requeue + " AND status = 2 AND created_at >= @since", ct, ("@now", now), ("@s", serviceId), ("@since", since));

    private async Task<int> RequeueAsync(string sql, CancellationToken ct, params (string, object?)[] parameters)
    {
        var count = await WriteAsync(async (c, tx) =>
        {
            var service = parameters.Single(p => p.Item1 == "@s");
            await LockHeldQueuesAsync(c, tx, shared: true, "s.id = @s", ct, service).ConfigureAwait(false);
            var held = await SqlCommands.ListAsync(c, tx, "SELECT s.queue_held FROM post_services s WHERE s.id = @s", r => r.Long(0), ct, service).ConfigureAwait(false);
            var updated = await SqlCommands.ExecuteAsync(c, tx, sql, ct, [.. parameters, ("@held", held is [1])]).ConfigureAwait(false);
            if (updated > 0)
            {
                await NotifyInTransactionAsync(c, tx, ct).ConfigureAwait(false);
            }

            return updated;
        }, ct).ConfigureAwait(false);
        SignalIfQueued(count);
        return count;
    }
}
