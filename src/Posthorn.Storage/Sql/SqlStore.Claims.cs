using System.Data.Common;
using Posthorn.Core.Deliveries;
using Posthorn.Core.PostServices;

namespace Posthorn.Storage.Sql;

public sealed partial class SqlStore
{
    public Task<IReadOnlyList<ClaimedDelivery>> ClaimDueAsync(string nodeId, DateTimeOffset now, TimeSpan lease, int max, CancellationToken ct) =>
        ClaimDueAsync(nodeId, now, lease, max, ServiceShare.Unlimited, ct);

    public Task<IReadOnlyList<ClaimedDelivery>> ClaimDueAsync(string nodeId, DateTimeOffset now, TimeSpan lease, int max, ServiceShare share, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(share);

        // Services and owners at their share are left out in SQL; the others are capped in code over a
        // window of the oldest due rows, so a claim reads a bounded, index-ordered slice of the queue
        // however deep the backlog (ranking every due row per claim made a 20,000-delivery backlog drain
        // at a third of the speed). When the window was all rows of services or owners that have now
        // reached their share, another round leaves those out too, so a deep backlog cannot hide a newer
        // delivery of another service or owner behind it; the rounds are bounded, and what they leave is
        // taken by the next claim.
        var window = share.IsUnlimited ? max : Math.Min(max * ClaimWindowFactor, MaxClaimWindow);
        return ClaimWithReleasedAsync(nodeId, now, lease, max, share, window, ct);
    }

    /// <summary>
    /// A held queue a claim finds free to go (see SqlStore.HeldQueues.cs) is let back after the claim
    /// commits, a step at a time, so the claim is made once more for what it left. If that fails, the
    /// claim gives its leases (and probe holds) back and fails with it, for the dispatcher to log and
    /// try again: a queue that cannot be let go is never passed over in silence.
    /// </summary>
    private async Task<IReadOnlyList<ClaimedDelivery>> ClaimWithReleasedAsync(string nodeId, DateTimeOffset now, TimeSpan lease, int max, ServiceShare share, int window, CancellationToken ct)
    {
        var (claimed, release) = await LeaseDueAsync(nodeId, now, lease, max, share, window, ct).ConfigureAwait(false);
        if (release.Count == 0)
        {
            return claimed;
        }

        try
        {
            if (!await ReleaseHeldQueuesAsync(release).ConfigureAwait(false) || claimed.Count >= max)
            {
                return claimed;
            }

            var (more, _) = await LeaseDueAsync(nodeId, now, lease, max - claimed.Count, share.With(claimed.Select(c => (c.Service.Id, c.OwnerId))), window, ct).ConfigureAwait(false);
            return [.. claimed, .. more];
        }
        catch (Exception)
        {
            await GiveBackAsync(nodeId, [.. claimed.Select(c => c.Delivery.Id.ToString())], [.. claimed.Where(c => c.IsProbe).Select(c => c.Service.Id)], now, now + lease).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<(IReadOnlyList<ClaimedDelivery> Claimed, IReadOnlyList<long> Release)> LeaseDueAsync(string nodeId, DateTimeOffset now, TimeSpan lease, int max, ServiceShare share, int window, CancellationToken ct)
    {
        var (leased, probes, held, release) = await WriteAsync(async (c, tx) =>
        {
            var leased = new List<string>();
            var probes = new HashSet<string>();
            var held = new List<long>();
            var release = new List<long>();
            var halfOpenSeen = new HashSet<long>();
            var left = share; // per transaction: the callback must not depend on an earlier run of itself
            if (dialect.ClaimPlanSetting is { } setting)
            {
                await SqlCommands.ExecuteAsync(c, tx, setting, ct).ConfigureAwait(false);
            }

            // Held queues first (see SqlStore.HeldQueues.cs): a service that may send again is let go
            // after this transaction, and one whose pause has ended sends its oldest held delivery as
            // its probe (a later round then passes it by: it is held for the probe).
            foreach (var queue in await HeldQueuesAsync(c, tx, now, ct).ConfigureAwait(false))
            {
                if (queue.MayGo)
                {
                    release.Add(queue.ServiceId);
                }
                else if (leased.Count < max && left.Remaining(queue.ServiceId) > 0 && left.RemainingForOwner(queue.OwnerId) > 0
                    && halfOpenSeen.Add(queue.ServiceId)
                    && await HoldForProbeAsync(c, tx, queue.ServiceId, now, now + lease, ct).ConfigureAwait(false))
                {
                    held.Add(queue.ServiceId);
                    var probe = await LeaseHeldAsync(c, tx, nodeId, now, lease, queue.Probe!, ct).ConfigureAwait(false);
                    leased.AddRange(probe);
                    probes.UnionWith(probe);
                    left = left.With([(queue.ServiceId, queue.OwnerId)]);
                }
            }

            for (var round = 0; round < MaxClaimRounds && leased.Count < max; round++)
            {
                var candidates = await DueCandidatesAsync(c, tx, now, window, [.. left.Full, .. halfOpenSeen], [.. left.FullOwners], ct).ConfigureAwait(false);

                // A service whose pause has ended is half-open: its oldest due delivery goes alone, as
                // a probe, and the service is held (paused_until moves to the probe's lease end) so no
                // other claim on any node sends its backlog before the probe has succeeded.
                var open = new List<Candidate>();
                foreach (var candidate in candidates)
                {
                    if (!candidate.HalfOpen)
                    {
                        open.Add(candidate);
                    }
                    else if (halfOpenSeen.Add(candidate.ServiceId) && leased.Count < max
                        && left.Remaining(candidate.ServiceId) > 0 && left.RemainingForOwner(candidate.OwnerId) > 0
                        && await HoldForProbeAsync(c, tx, candidate.ServiceId, now, now + lease, ct).ConfigureAwait(false))
                    {
                        held.Add(candidate.ServiceId);
                        var probe = await LeaseAsync(c, tx, nodeId, now, lease, [candidate.Id], ct).ConfigureAwait(false);
                        leased.AddRange(probe);
                        probes.UnionWith(probe);
                        left = left.With([(candidate.ServiceId, candidate.OwnerId)]);
                    }
                }

                var picked = left.Pick(open.Select(p => (p, p.ServiceId, p.OwnerId)), max - leased.Count);
                leased.AddRange(await LeaseAsync(c, tx, nodeId, now, lease, picked.Select(p => p.Id).ToList(), ct).ConfigureAwait(false));
                if (candidates.Count < window)
                {
                    break; // every due row was seen
                }

                left = left.With(picked.Select(p => (p.ServiceId, p.OwnerId)));
            }

            return (leased, probes, held, release);
        }, ct).ConfigureAwait(false);

        // The rows are read after the lease commits, outside the write, so SQLite's one writer (every
        // claim and settlement queues for it) is not held while they are read. Leased, they are this
        // node's until the lease ends; the read takes only rows still leased here and pending, and a
        // row whose push went (deleted with its repository meanwhile) is left out, not sent empty.
        if (leased.Count == 0)
        {
            return ([], release);
        }

        IReadOnlyList<ClaimedDelivery> claimed;
        try
        {
            claimed = await ReadAsync(c => LoadClaimedAsync(c, null, leased, ct, now + lease, leasedTo: nodeId), ct).ConfigureAwait(false);
        }
        catch (Exception)
        {
            await GiveBackAsync(nodeId, leased, held, now, now + lease).ConfigureAwait(false);
            throw;
        }

        return (claimed.Select(d => probes.Contains(d.Delivery.Id.ToString()) ? d with { IsProbe = true } : d).ToList(), release);
    }

    /// <summary>
    /// Leased but never handed out: the leases are given back, and the services held for a probe are
    /// half-open again, now rather than when the lease runs out. Best effort: the read that failed is
    /// what the caller hears of, and both end by themselves with the lease anyway.
    /// </summary>
    private async Task GiveBackAsync(string nodeId, List<string> leased, List<long> held, DateTimeOffset now, DateTimeOffset until)
    {
        try
        {
            await WriteAsync(async (c, tx) =>
            {
                await SqlCommands.ExecuteAsync(c, tx, ReleaseStatement(leased.Count), CancellationToken.None,
                    [.. InParameters(leased), ("@node", nodeId), ("@until", until)]).ConfigureAwait(false);
                if (held.Count > 0)
                {
                    await SqlCommands.ExecuteAsync(c, tx,
                        $"UPDATE post_services SET paused_until = @now WHERE id IN ({IdList(held.Count, "@s")}) AND paused_until = @until",
                        CancellationToken.None, [("@now", now), ("@until", until), .. InParameters(held, "@s")]).ConfigureAwait(false);
                }

                return 0;
            }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception)
        {
        }
    }

    /// <summary>
    /// With a per-service share, a claim reads this many times the rows it wants (some may be over their
    /// share). Twice is enough for the default shares: at four times, reading candidates was the costliest
    /// statement of a drain, and halving the window left the number of rounds per claim unchanged.
    /// </summary>
    private const int ClaimWindowFactor = 2;

    private const int MaxClaimWindow = 10_000;

    private const int MaxClaimRounds = 3;

    private readonly record struct Candidate(string Id, long ServiceId, long OwnerId, bool HalfOpen);

    /// <summary>
    /// The oldest claimable deliveries (due, unleased, of an active, unpaused, enabled service) outside
    /// <paramref name="fullServices"/> and <paramref name="fullOwners"/>. PostgreSQL's SKIP LOCKED lets
    /// concurrent nodes pass each other's rows. HalfOpen: the service's pause has ended but no delivery
    /// has succeeded since (paused_until is kept, in the past, until a success clears it).
    /// </summary>
    private async Task<List<Candidate>> DueCandidatesAsync(
        DbConnection c, DbTransaction tx, DateTimeOffset now, int window, IReadOnlyList<long> fullServices, IReadOnlyList<long> fullOwners, CancellationToken ct)
    {
        return await SqlCommands.ListAsync(c, tx, CandidatesStatement(dialect, fullServices.Count, fullOwners.Count),
            r => new Candidate(r.Text(0), r.Long(1), r.Long(2), r.Long(3) == 1), ct,
            [("@now", now), ("@window", window), .. InParameters(fullServices, "@full"), .. InParameters(fullOwners, "@owner")]).ConfigureAwait(false);
    }

    /// <summary>The claim's candidates, outside the services and owners of two IN lists (<see cref="IdList"/> with prefixes @full and @owner; internal: a test checks PostgreSQL's plan for it).</summary>
    internal static string CandidatesStatement(SqlDialect dialect, int fullServices, int fullOwners)
    {
        var exclusion = fullServices == 0 ? "" : $" AND d.service_id NOT IN ({IdList(fullServices, "@full")})";
        exclusion += fullOwners == 0 ? "" : $" AND r.owner_id NOT IN ({IdList(fullOwners, "@owner")})";
        return $"""
            SELECT d.id, d.service_id, r.owner_id, CASE WHEN s.paused_until IS NULL THEN 0 ELSE 1 END
            FROM deliveries d JOIN post_services s ON s.id = d.service_id JOIN repositories r ON r.id = s.repository_id
            WHERE d.status = 0 AND d.held = 0 AND d.next_attempt_at <= @now AND (d.lease_until IS NULL OR d.lease_until <= @now)
              AND s.is_active = 1 AND s.disabled_at IS NULL AND (s.paused_until IS NULL OR s.paused_until <= @now){exclusion}
            ORDER BY d.next_attempt_at LIMIT @window{dialect.ClaimLockClause}
            """;
    }

    /// <summary>
    /// Takes a half-open service's probe slot: one conditional UPDATE, so of two nodes (or two rounds)
    /// only one wins. The hold ends with the probe: a success clears paused_until, a failure pauses
    /// again or (below the pause threshold) ends the hold; if the node dies it runs out with the lease.
    /// On PostgreSQL a service row another transaction has locked is passed by (the next claim tries
    /// again): a claim takes its holds in two orders (held queues by id, then candidates by due time),
    /// and two claims waiting for each other's holds deadlocked.
    /// </summary>
    private async Task<bool> HoldForProbeAsync(DbConnection c, DbTransaction tx, long serviceId, DateTimeOffset now, DateTimeOffset until, CancellationToken ct) =>
        await SqlCommands.ExecuteAsync(c, tx,
            $"""
            UPDATE post_services SET paused_until = @until WHERE id IN (
                SELECT p.id FROM post_services p WHERE p.id = @s AND p.paused_until IS NOT NULL AND p.paused_until <= @now{dialect.SkipLockedClause})
            """,
            ct, ("@until", until), ("@s", serviceId), ("@now", now)).ConfigureAwait(false) == 1;

    /// <summary>Takes the lease; re-tests it in case another claimer committed after the candidates were read.</summary>
    private static async Task<List<string>> LeaseAsync(DbConnection c, DbTransaction tx, string nodeId, DateTimeOffset now, TimeSpan lease, IReadOnlyList<string> ids, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        return await SqlCommands.ListAsync(c, tx, LeaseStatement(ids.Count),
            r => r.Text(0), ct, [("@node", nodeId), ("@until", now + lease), ("@now", now), .. InParameters(ids)]).ConfigureAwait(false);
    }

    /// <summary>
    /// <paramref name="column"/> as a filter SQLite's planner cannot use as an index key (unary +; a
    /// no-op on PostgreSQL). With ten or more ids in an IN list, SQLite chose ix_deliveries_due
    /// (status = 0) over the primary key and read every pending row to lease a batch: each claim cost
    /// grew with the backlog (~200 µs per leased delivery with 12,000 pending).
    /// </summary>
    private static string NotAnIndexKey(string column) => "+" + column;

    /// <summary>Leases the deliveries @id0…@id{count-1} still pending and free (internal: a test checks SQLite's plan for it).</summary>
    internal static string LeaseStatement(int count) =>
        $"""
        UPDATE deliveries SET lease_owner = @node, lease_until = @until
        WHERE id IN ({IdList(count)}) AND {NotAnIndexKey("status")} = 0 AND (lease_until IS NULL OR lease_until <= @now)
        RETURNING id
        """;

    /// <summary>Gives back the leases on @id0…@id{count-1} that @node holds (those ending at @until, when given).</summary>
    internal static string ReleaseStatement(int count) =>
        $"UPDATE deliveries SET lease_owner = NULL, lease_until = NULL WHERE id IN ({IdList(count)}) AND {NotAnIndexKey("status")} = 0 AND lease_owner = @node AND lease_until = COALESCE(@until, lease_until)";

    /// <summary>
    /// "@id0, @id1, …" for an IN list of <paramref name="count"/> values, in a power-of-two length (see
    /// <see cref="InParameters"/>, which repeats the last value to fill it): an IN list means the same
    /// with a value twice, and its statement text then comes in a few lengths instead of one per count.
    /// Each length is a statement compiled and kept on every SQLite connection; a claim's lists of 1 to
    /// 64 ids were recompiled on most claims (the read connections' caches held few of the many
    /// lengths), a few hundred microseconds each.
    /// </summary>
    private static string IdList(int count, string prefix = "@id") => ParameterNames.List(prefix, PaddedLength(count));

    /// <summary>The values of an IN list written by <see cref="IdList"/> with the same prefix, the last one repeated up to its length.</summary>
    private static IEnumerable<(string, object?)> InParameters<T>(IReadOnlyList<T> values, string prefix = "@id") =>
        Enumerable.Range(0, PaddedLength(values.Count)).Select(i => (ParameterNames.Of(prefix, i), (object?)values[Math.Min(i, values.Count - 1)]));

    /// <summary><paramref name="count"/> rounded up to a power of two (0 stays 0).</summary>
    internal static int PaddedLength(int count) => count == 0 ? 0 : (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)count);

    public Task ReleaseAsync(string nodeId, IReadOnlyList<Guid> deliveryIds, DateTimeOffset? leaseUntil, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(deliveryIds);
        if (deliveryIds.Count == 0)
        {
            return Task.CompletedTask;
        }

        return WriteAsync((c, tx) => SqlCommands.ExecuteAsync(c, tx, ReleaseStatement(deliveryIds.Count),
            ct, [.. InParameters(deliveryIds), ("@node", nodeId), ("@until", leaseUntil)]), ct);
    }

    public Task<ClaimedDelivery?> ClaimAsync(Guid deliveryId, string nodeId, DateTimeOffset now, TimeSpan lease, CancellationToken ct) =>
        WriteAsync(async (c, tx) =>
        {
            var updated = await SqlCommands.ExecuteAsync(c, tx,
                "UPDATE deliveries SET lease_owner = @node, lease_until = @until, held = 0 WHERE id = @id AND status = 0 AND (lease_until IS NULL OR lease_until <= @now)",
                ct, ("@node", nodeId), ("@until", now + lease), ("@id", deliveryId), ("@now", now)).ConfigureAwait(false);
            if (updated == 0)
            {
                return null;
            }

            var claimed = await LoadClaimedAsync(c, tx, [deliveryId.ToString()], ct, now + lease).ConfigureAwait(false);
            return claimed.Count == 0 ? null : claimed[0];
        }, ct);

    /// <summary>The claimed rows with their service and payload (a ping's own, else its push's), oldest due first.</summary>
    /// <param name="leasedTo">When set, only rows still pending and leased to this node.</param>
    private async Task<IReadOnlyList<ClaimedDelivery>> LoadClaimedAsync(
        DbConnection c, DbTransaction? tx, IReadOnlyList<string> ids, CancellationToken ct, DateTimeOffset? leaseUntil = null, string? leasedTo = null)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        // Rows of one service carry the same service columns (one statement, one snapshot): each service
        // is built once per read, not once per row (its JSON lists and secrets were most of a row's cost).
        var stillLeased = leasedTo is null ? "" : $" AND {NotAnIndexKey("d.status")} = 0 AND d.lease_owner = @node";
        var services = new Dictionary<long, PostService>();
        var rows = await SqlCommands.ListAsync(c, tx,
            $"""
            SELECT {DeliveryColumns}, {ServiceColumns}, d.payload, r.owner_id, d.round_number
            FROM deliveries d JOIN post_services s ON s.id = d.service_id JOIN repositories r ON r.id = s.repository_id
            WHERE d.id IN ({IdList(ids.Count)}){stillLeased} ORDER BY d.next_attempt_at, d.id
            """,
            r => (Delivery: ReadDelivery(r), Service: ServiceOf(r, services),
                Payload: r.NullableText(DeliveryColumnCount + ServiceColumnCount), OwnerId: r.Long(DeliveryColumnCount + ServiceColumnCount + 1),
                Round: r.Int(DeliveryColumnCount + ServiceColumnCount + 2)),
            ct, [.. InParameters(ids), .. leasedTo is null ? [] : new[] { ("@node", (object?)leasedTo) }]).ConfigureAwait(false);

        // A push's payload is read once for all its deliveries, in this claim and the next ones (one push
        // to many services, split over claims by the fairness caps), so they share one string instance,
        // and what is derived from it once (its encoded body) serves all.
        var pushIds = rows.Where(row => row.Payload is null && row.Delivery.PushId is not null).Select(row => row.Delivery.PushId!.Value).Distinct();
        var unread = new List<long>();
        var payloads = pushPayloads.Find(pushIds, unread);
        if (unread.Count > 0)
        {
            var read = await SqlCommands.ListAsync(c, tx,
                $"SELECT id, payload FROM pushes WHERE id IN ({IdList(unread.Count, "@p")})",
                r => (Id: r.Long(0), Payload: r.Text(1)), ct, [.. InParameters(unread, "@p")]).ConfigureAwait(false);
            foreach (var (id, payload) in read)
            {
                payloads[id] = payload;
                pushPayloads.Keep(id, payload);
            }
        }

        var claimed = new List<ClaimedDelivery>(rows.Count);
        foreach (var row in rows)
        {
            var payload = row.Payload;
            if (payload is null && row.Delivery.PushId is { } push && !payloads.TryGetValue(push, out payload))
            {
                // Inside one transaction a delivery's push is always there (deleting it deletes the
                // delivery); read after the lease, the push and its delivery may have gone in between.
                continue;
            }

            claimed.Add(new ClaimedDelivery(row.Delivery, row.Service, payload ?? "")
            {
                OwnerId = row.OwnerId,
                Round = row.Round,
                LeaseUntil = leaseUntil ?? DateTimeOffset.MaxValue,
            });
        }

        return claimed;
    }

    /// <summary>The service columns of a claim read's row, built once per service per read.</summary>
    private PostService ServiceOf(DbDataReader r, Dictionary<long, PostService> read)
    {
        var id = r.Long(DeliveryColumnCount);
        if (!read.TryGetValue(id, out var service))
        {
            service = ReadService(r, DeliveryColumnCount, revealed);
            read[id] = service;
        }

        return service;
    }

    /// <summary>The claim path decrypts service columns through this memo (see <see cref="RevealedColumns"/>).</summary>
    private readonly RevealedColumns revealed = new(secrets);

    /// <summary>Payloads of recently claimed pushes (see <see cref="PushPayloads"/>).</summary>
    private readonly PushPayloads pushPayloads = new();
}
