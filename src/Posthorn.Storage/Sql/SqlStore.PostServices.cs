using System.Data.Common;
using System.Text.Json;
using Posthorn.Core.Deliveries;
using Posthorn.Core.Payloads;
using Posthorn.Core.PostServices;
using Posthorn.Storage.Secrets;

namespace Posthorn.Storage.Sql;

public sealed partial class SqlStore
{
    private const string ServiceColumns =
        "s.id, s.repository_id, s.url, s.format, s.is_active, s.secrets, s.created_at, s.last_outcome, s.last_attempt_at, s.consecutive_failures, s.paused_until, s.disabled_at, s.disabled_reason, " +
        "s.events, s.branches, s.standard_webhooks, s.form_encoded";

    private const int ServiceColumnCount = 17;

    private PostService ReadService(DbDataReader r, int o = 0, RevealedColumns? memo = null) =>
        new(r.Long(o), r.Long(o + 1), memo?.Url(r.Text(o + 2)) ?? secrets.RevealOr(r.Text(o + 2), SecretColumns.UnreadableUrl), (PayloadFormat)r.Int(o + 3), r.Bool(o + 4),
            memo?.Secrets(r.Text(o + 5)) ?? JsonSerializer.Deserialize<string[]>(secrets.RevealOr(r.Text(o + 5), "[]")) ?? [],
            new ServiceHealth(
                r.NullableInt(o + 7) is { } outcome ? (AttemptOutcome)outcome : null,
                r.NullableTime(o + 8),
                r.Int(o + 9),
                r.NullableTime(o + 10),
                r.NullableTime(o + 11),
                r.NullableText(o + 12)),
            r.Time(o + 6))
        {
            Events = TextList(r.Text(o + 13)),
            Branches = TextList(r.Text(o + 14)),
            StandardWebhooks = r.Bool(o + 15),
            FormEncoded = r.Bool(o + 16),
        };

    private static string[] TextList(string json) => JsonSerializer.Deserialize<string[]>(json) ?? [];

    private string SecretsJson(PostServiceSettings settings) => secrets.Protect(JsonSerializer.Serialize(settings.Secrets));

    public Task<PostService> CreateServiceAsync(long repositoryId, PostServiceSettings settings, DateTimeOffset now, CancellationToken ct) =>
        CreateServiceAsync(repositoryId, settings, int.MaxValue, now, ct);

    public Task<PostService> CreateServiceAsync(long repositoryId, PostServiceSettings settings, int maxPerRepository, DateTimeOffset now, CancellationToken ct) =>
        WriteAsync(async (c, tx) =>
        {
            if (maxPerRepository != int.MaxValue)
            {
                // The repository row is locked first (PostgreSQL), so two concurrent creates count one after the other.
                await SqlCommands.ExecuteAsync(c, tx, "UPDATE repositories SET id = id WHERE id = @r", ct, ("@r", repositoryId)).ConfigureAwait(false);
                var count = Convert.ToInt64(await SqlCommands.ScalarAsync(c, tx, "SELECT COUNT(*) FROM post_services WHERE repository_id = @r", ct, ("@r", repositoryId)).ConfigureAwait(false),
                    System.Globalization.CultureInfo.InvariantCulture);
                if (count >= maxPerRepository)
                {
                    throw new Core.ConflictException(
                        $"This repository already has {count} POST services, the most allowed (PostServices:MaxPerRepository = {maxPerRepository}); remove one first.");
                }
            }

            var id = (long)(await SqlCommands.ScalarAsync(c, tx,
                """
                INSERT INTO post_services (repository_id, url, format, is_active, secrets, created_at, consecutive_failures, events, branches, standard_webhooks, form_encoded)
                VALUES (@r, @u, @f, @a, @s, @now, 0, @ev, @br, @sw, @fe) RETURNING id
                """,
                ct, [("@r", repositoryId), ("@u", secrets.Protect(settings.Url)), ("@f", settings.Format), ("@a", settings.IsActive), ("@s", SecretsJson(settings)), ("@now", now),
                    .. SubscriptionParameters(settings)]).ConfigureAwait(false))!;
            return new PostService(id, repositoryId, settings.Url, settings.Format, settings.IsActive, settings.Secrets.ToArray(), ServiceHealth.Healthy,
                DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds()))
            {
                Events = settings.Events.ToArray(),
                Branches = settings.Branches.ToArray(),
                StandardWebhooks = settings.StandardWebhooks,
                FormEncoded = settings.FormEncoded,
            };
        }, ct);

    public Task<PostService?> FindServiceAsync(long repositoryId, long serviceId, CancellationToken ct) =>
        ReadAsync(c => SqlCommands.SingleOrDefaultAsync(c, null, $"SELECT {ServiceColumns} FROM post_services s WHERE s.id = @id AND s.repository_id = @r",
            r => ReadService(r), ct, ("@id", serviceId), ("@r", repositoryId)), ct);

    public async Task<IReadOnlyList<PostService>> ListServicesAsync(long repositoryId, CancellationToken ct) =>
        await ReadAsync(c => SqlCommands.ListAsync(c, null, $"SELECT {ServiceColumns} FROM post_services s WHERE s.repository_id = @r ORDER BY s.id",
            r => ReadService(r), ct, ("@r", repositoryId)), ct).ConfigureAwait(false);

    // Switched off, the service's queue is held (SqlStore.HeldQueues.cs); switched on, the next claim lets it go.
    public Task<bool> UpdateServiceAsync(long repositoryId, long serviceId, PostServiceSettings settings, CancellationToken ct) =>
        WriteAsync(async (c, tx) =>
        {
            var updated = await SqlCommands.ExecuteAsync(c, tx,
                """
                UPDATE post_services SET url = @u, format = @f, is_active = @a, secrets = @s, events = @ev, branches = @br, standard_webhooks = @sw, form_encoded = @fe,
                    queue_held = CASE WHEN @a = 0 THEN 1 ELSE queue_held END
                WHERE id = @id AND repository_id = @r
                """,
                ct, [("@u", secrets.Protect(settings.Url)), ("@f", settings.Format), ("@a", settings.IsActive), ("@s", SecretsJson(settings)), ("@id", serviceId), ("@r", repositoryId),
                    .. SubscriptionParameters(settings)]).ConfigureAwait(false) == 1;
            if (updated && !settings.IsActive)
            {
                await HoldQueueAsync(c, tx, serviceId, ct).ConfigureAwait(false);
            }

            return updated;
        }, ct);

    private static (string, object?)[] SubscriptionParameters(PostServiceSettings settings) =>
    [
        ("@ev", JsonSerializer.Serialize(settings.Events)), ("@br", JsonSerializer.Serialize(settings.Branches)),
        ("@sw", settings.StandardWebhooks), ("@fe", settings.FormEncoded),
    ];

    /// <summary>
    /// The outbox rows of one event: what <paramref name="composer"/> gives for each active service,
    /// read in the caller's transaction so a service saved meanwhile is seen whole or not at all.
    /// Paused and disabled services still get theirs; they wait in the queue.
    /// </summary>
    private async Task<IReadOnlyList<Guid>> InsertComposedAsync(
        DbConnection c, DbTransaction tx, long repositoryId, long? pushId, IDeliveryComposer composer, DateTimeOffset now, CancellationToken ct)
    {
        await LockHeldQueuesAsync(c, tx, shared: true, "s.repository_id = @r", ct, ("@r", repositoryId)).ConfigureAwait(false);
        var services = await SqlCommands.ListAsync(c, tx,
            "SELECT s.id, s.format, s.events, s.branches, s.queue_held FROM post_services s WHERE s.repository_id = @r AND s.is_active = 1 ORDER BY s.id",
            r => (Service: new ServiceSubscription(r.Long(0), (PayloadFormat)r.Int(1), TextList(r.Text(2)), TextList(r.Text(3))), Held: r.Long(4) == 1),
            ct, ("@r", repositoryId)).ConfigureAwait(false);
        var ids = new List<Guid>();
        foreach (var (service, held) in services)
        {
            foreach (var delivery in composer.For(service))
            {
                var id = Guid.CreateVersion7(now);
                await InsertDeliveryAsync(c, tx, id, service.ServiceId, repositoryId, pushId, delivery.Event, delivery.Payload, now, ct, held).ConfigureAwait(false);
                ids.Add(id);
            }
        }

        if (ids.Count > 0)
        {
            await NotifyInTransactionAsync(c, tx, ct).ConfigureAwait(false);
        }

        return ids;
    }

    // Deliveries and their attempts go by ON DELETE CASCADE.
    public Task<bool> DeleteServiceAsync(long repositoryId, long serviceId, CancellationToken ct) =>
        WriteAsync(async (c, tx) => await SqlCommands.ExecuteAsync(c, tx, "DELETE FROM post_services WHERE id = @id AND repository_id = @r",
            ct, ("@id", serviceId), ("@r", repositoryId)).ConfigureAwait(false) == 1, ct);

    // A paused or disabled service resumes half-open: paused_until in the past (the epoch) means "send
    // one probe first"; the claim holds the service for it and a success clears it (ClaimDueAsync).
    public Task<bool> ResetHealthAsync(long serviceId, CancellationToken ct) =>
        WriteAsync(async (c, tx) => await SqlCommands.ExecuteAsync(c, tx,
            """
            UPDATE post_services SET consecutive_failures = 0,
                paused_until = CASE WHEN paused_until IS NOT NULL OR disabled_at IS NOT NULL THEN 0 ELSE NULL END,
                disabled_at = NULL, disabled_reason = NULL
            WHERE id = @id
            """,
            ct, ("@id", serviceId)).ConfigureAwait(false) == 1, ct);

    // A pause or a disable holds the service's queue (SqlStore.HeldQueues.cs), the service row first.
    public Task<bool> PauseServiceAsync(long serviceId, DateTimeOffset until, int whileFailing, CancellationToken ct) =>
        SetAndHoldAsync(serviceId, "paused_until = @u", ct, ("@u", until), ("@f", whileFailing));

    public Task<bool> DisableServiceAsync(long serviceId, string reason, DateTimeOffset now, int whileFailing, CancellationToken ct) =>
        SetAndHoldAsync(serviceId, "disabled_at = @now, disabled_reason = @why", ct, ("@now", now), ("@why", reason), ("@f", whileFailing));

    private Task<bool> SetAndHoldAsync(long serviceId, string assignments, CancellationToken ct, params (string, object?)[] parameters) =>
        WriteAsync(async (c, tx) =>
        {
            var updated = await SqlCommands.ExecuteAsync(c, tx, $"UPDATE post_services SET {assignments}, queue_held = 1 WHERE id = @id AND consecutive_failures >= @f",
                ct, [("@id", serviceId), .. parameters]).ConfigureAwait(false) == 1;
            if (updated)
            {
                await HoldQueueAsync(c, tx, serviceId, ct).ConfigureAwait(false);
            }

            return updated;
        }, ct);

    public Task<bool> EndProbeHoldAsync(long serviceId, DateTimeOffset holdUntil, DateTimeOffset now, CancellationToken ct) =>
        WriteAsync(async (c, tx) => await SqlCommands.ExecuteAsync(c, tx, "UPDATE post_services SET paused_until = @now WHERE id = @id AND paused_until = @hold",
            ct, ("@now", now), ("@id", serviceId), ("@hold", holdUntil)).ConfigureAwait(false) == 1, ct);
}
