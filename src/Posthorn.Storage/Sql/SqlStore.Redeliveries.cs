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
        var count = await RequeueAsync(serviceId, Requeue + " AND id = @id", ct, ("@now", now), ("@id", deliveryId)).ConfigureAwait(false);
        return count == 1;
    }

    public Task<int> RedeliverFailedSinceAsync(long serviceId, DateTimeOffset since, DateTimeOffset now, CancellationToken ct) =>
        RequeueAsync(serviceId, Requeue + " AND status = 2 AND created_at >= @since", ct, ("@now", now), ("@since", since));

    private async Task<int> RequeueAsync(long serviceId, string sql, CancellationToken ct, params (string, object?)[] parameters)
    {
        var count = await WriteAsync(async (c, tx) =>
        {
            await LockHeldQueuesAsync(c, tx, shared: true, "s.id = @s", ct, ("@s", serviceId)).ConfigureAwait(false);
            var held = await SqlCommands.ListAsync(c, tx, "SELECT s.queue_held FROM post_services s WHERE s.id = @s", r => r.Long(0), ct, ("@s", serviceId)).ConfigureAwait(false);
            var updated = await SqlCommands.ExecuteAsync(c, tx, sql, ct, [.. parameters, ("@s", serviceId), ("@held", held is [1])]).ConfigureAwait(false);
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
