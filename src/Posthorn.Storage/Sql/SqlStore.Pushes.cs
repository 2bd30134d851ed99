using System.Data.Common;
using Posthorn.Core.Deliveries;
using Posthorn.Core.Payloads;
using Posthorn.Core.PostServices;
using Posthorn.Core.Pushes;

namespace Posthorn.Storage.Sql;

public sealed partial class SqlStore
{
    private const string PushColumns = "p.id, p.repository_id, p.pusher, p.pushed_at, p.commit_count, p.recovered";

    public async Task<RecordedPush> RecordPushAsync(NewPush push, CancellationToken ct)
    {
        var recorded = await WriteAsync(async (c, tx) =>
        {
            var id = (long)(await SqlCommands.ScalarAsync(c, tx,
                "INSERT INTO pushes (repository_id, pusher, pushed_at, commit_count, payload, recovered) VALUES (@r, @u, @t, @n, @payload, @rec) RETURNING id",
                ct, ("@r", push.RepositoryId), ("@u", push.Pusher), ("@t", push.PushedAt), ("@n", push.CommitCount), ("@payload", push.Payload), ("@rec", push.Recovered)).ConfigureAwait(false))!;
            for (var i = 0; i < push.RefUpdates.Count; i++)
            {
                var update = push.RefUpdates[i];
                await SqlCommands.ExecuteAsync(c, tx, "INSERT INTO ref_updates (push_id, position, ref_name, old_id, new_id) VALUES (@p, @i, @n, @o, @v)",
                    ct, ("@p", id), ("@i", i), ("@n", update.RefName), ("@o", update.OldId), ("@v", update.NewId)).ConfigureAwait(false);
                await MoveRecordedRefAsync(c, tx, push.RepositoryId, update, ct).ConfigureAwait(false);
            }

            await SqlCommands.ExecuteAsync(c, tx, "DELETE FROM ref_intents WHERE repository_id = @r", ct, ("@r", push.RepositoryId)).ConfigureAwait(false);

            // The outbox, in the push's own transaction: what the composer gives each active service
            // (events, branch filters, formats), or without one a "push" row per active service.
            // Paused and disabled services still get theirs; they wait in the queue.
            var deliveryIds = await InsertComposedAsync(c, tx, push.RepositoryId, id, push.Composer ?? OnePushRowEach.Instance, push.PushedAt, ct).ConfigureAwait(false);

            // A merge made by Posthorn closes its pull request, with the event, in the same transaction,
            // merged when its push was: its event is due with the push's deliveries, not before them.
            var (closed, announced) = push.Closes is { } closing
                ? await CloseInTransactionAsync(c, tx, closing with { At = push.PushedAt }, push.ClosingAnnouncement, ct).ConfigureAwait(false)
                : (null, 0);
            var stored = new Push(id, push.RepositoryId, push.Pusher, DateTimeOffset.FromUnixTimeMilliseconds(push.PushedAt.ToUnixTimeMilliseconds()), push.RefUpdates, push.CommitCount, push.Recovered);
            return (Push: new RecordedPush(stored, deliveryIds) { Closed = closed }, Announced: announced);
        }, ct).ConfigureAwait(false);

        SignalIfQueued(recorded.Push.DeliveryIds.Count + recorded.Announced);
        return recorded.Push;
    }

    public Task<IReadOnlyList<Push>> ListPushesAsync(long repositoryId, int limit, long? beforeId, CancellationToken ct) =>
        ReadAsync(async c =>
        {
            // Long.MaxValue stands for "from the newest" so the statement and its parameters never vary.
            var heads = await SqlCommands.ListAsync(c, null, $"SELECT {PushColumns} FROM pushes p WHERE p.repository_id = @r AND p.id < @b ORDER BY p.id DESC LIMIT @l",
                r => (Id: r.Long(0), RepositoryId: r.Long(1), Pusher: r.Text(2), PushedAt: r.Time(3), CommitCount: r.Int(4), Recovered: r.Bool(5)),
                ct, ("@r", repositoryId), ("@b", beforeId ?? long.MaxValue), ("@l", limit)).ConfigureAwait(false);
            if (heads.Count == 0)
            {
                return (IReadOnlyList<Push>)[];
            }

            // One query for all the page's ref updates: the page is bounded by the id range.
            var updates = await SqlCommands.ListAsync(c, null,
                "SELECT u.push_id, u.ref_name, u.old_id, u.new_id FROM ref_updates u JOIN pushes p ON p.id = u.push_id WHERE p.repository_id = @r AND u.push_id BETWEEN @lo AND @hi ORDER BY u.push_id, u.position",
                r => (PushId: r.Long(0), Update: new RefUpdate(r.Text(1), r.Text(2), r.Text(3))),
                ct, ("@r", repositoryId), ("@lo", heads[^1].Id), ("@hi", heads[0].Id)).ConfigureAwait(false);
            var byPush = updates.ToLookup(u => u.PushId, u => u.Update);
            return heads.Select(h => new Push(h.Id, h.RepositoryId, h.Pusher, h.PushedAt, byPush[h.Id].ToList(), h.CommitCount, h.Recovered)).ToList();
        }, ct);

    public Task<Push?> FindPushAsync(long repositoryId, long pushId, CancellationToken ct) =>
        ReadAsync(async c =>
        {
            var updates = await SqlCommands.ListAsync(c, null, "SELECT ref_name, old_id, new_id FROM ref_updates WHERE push_id = @p ORDER BY position",
                r => new RefUpdate(r.Text(0), r.Text(1), r.Text(2)), ct, ("@p", pushId)).ConfigureAwait(false);
            return await SqlCommands.SingleOrDefaultAsync(c, null, $"SELECT {PushColumns} FROM pushes p WHERE p.id = @p AND p.repository_id = @r",
                r => new Push(r.Long(0), r.Long(1), r.Text(2), r.Time(3), updates, r.Int(4), r.Bool(5)), ct, ("@p", pushId), ("@r", repositoryId)).ConfigureAwait(false);
        }, ct);

    public Task<string?> GetPayloadAsync(long pushId, CancellationToken ct) =>
        ReadAsync(async c => (string?)await SqlCommands.ScalarAsync(c, null, "SELECT payload FROM pushes WHERE id = @p", ct, ("@p", pushId)).ConfigureAwait(false), ct);

    /// <summary>Without a composer, a push gives each active service one "push" row that reads the push's own payload.</summary>
    private sealed class OnePushRowEach : IDeliveryComposer
    {
        public static readonly OnePushRowEach Instance = new();

        private static readonly ComposedDelivery[] One = [new(DeliveryEvents.Push, null)];

        public IReadOnlyList<ComposedDelivery> For(ServiceSubscription service) => One;
    }

    /// <summary>Queues a delivery; <paramref name="held"/>: its service's queue is held (read under <see cref="LockHeldQueuesAsync"/>), and so is the new row.</summary>
    private static Task<int> InsertDeliveryAsync(DbConnection c, DbTransaction tx, Guid id, long serviceId, long repositoryId, long? pushId, string eventName, string? payload, DateTimeOffset now, CancellationToken ct, bool held = false) =>
        SqlCommands.ExecuteAsync(c, tx,
            """
            INSERT INTO deliveries (id, service_id, repository_id, push_id, event, payload, status, attempt_count, round_attempts, created_at, next_attempt_at, held)
            VALUES (@id, @s, @r, @p, @e, @payload, 0, 0, 0, @now, @now, @held)
            """,
            ct, ("@id", id), ("@s", serviceId), ("@r", repositoryId), ("@p", pushId), ("@e", eventName), ("@payload", payload), ("@now", now), ("@held", held));
}
