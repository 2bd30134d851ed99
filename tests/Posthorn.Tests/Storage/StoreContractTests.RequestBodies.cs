using System.Globalization;
using Posthorn.Core.Deliveries;

namespace Posthorn.Tests.Storage;

public abstract partial class StoreContractTests
{
    private const string FormBody = "payload=%7B%22commits%22%3A%5B%5D%7D";
    private const string JsonBody = "{\"message\": \"caf\u00e9 \u2603 \U0001F600\"}\n";

    [Fact]
    public async Task Settle_StoresEachDistinctRequestBodyOnce_AcrossBatches_AndEveryAttemptReadsItsExactBody()
    {
        var (service, ids) = await QueuedForOneServiceAsync(4);

        await Deliveries.ClaimDueAsync("node-a", T0, Lease, 10, Ct);
        await Deliveries.SettleAsync("node-a",
        [
            WithBody(Settled(ids[0], AttemptOutcome.Succeeded, DeliveryStatus.Succeeded, null), FormBody),
            WithBody(Settled(ids[1], AttemptOutcome.Succeeded, DeliveryStatus.Succeeded, null), JsonBody),
            WithBody(Settled(ids[2], AttemptOutcome.RetryableFailure, DeliveryStatus.Pending, T0), FormBody),
        ], Ct);
        await Deliveries.ClaimDueAsync("node-a", T0, Lease, 10, Ct);
        await Deliveries.SettleAsync("node-a",
        [
            WithBody(Settled(ids[2], AttemptOutcome.Succeeded, DeliveryStatus.Succeeded, null), FormBody),
            WithBody(Settled(ids[3], AttemptOutcome.Succeeded, DeliveryStatus.Succeeded, null), JsonBody),
        ], Ct);

        Assert.Equal(2L, Convert.ToInt64(await Fixture.RawScalarAsync("SELECT COUNT(*) FROM request_bodies"), CultureInfo.InvariantCulture));
        Assert.Equal(5L, Convert.ToInt64(await Fixture.RawScalarAsync("SELECT COUNT(*) FROM attempts WHERE request_body = '' AND request_body_id IS NOT NULL"), CultureInfo.InvariantCulture));
        var bodies = new List<string>();
        foreach (var id in ids)
        {
            bodies.AddRange((await Deliveries.FindDeliveryAsync(service.Id, id, Ct))!.Attempts.Select(a => a.RequestBody));
        }

        Assert.Equal([FormBody, JsonBody, FormBody, FormBody, JsonBody], bodies);
    }

    [Fact]
    public async Task Settle_EqualBodiesInDistinctStrings_ShareOneRow_AndEachAttemptReadsItsOwnBody()
    {
        // The settlement matches bodies by string instance first; equal text in other instances
        // (a body decoded twice, another node's copy) must still find the same row, and an
        // attempt must never be pointed at another attempt's body.
        var (service, ids) = await QueuedForOneServiceAsync(5);
        await Deliveries.ClaimDueAsync("node-a", T0, Lease, 10, Ct);
        string[] sent = [new string(FormBody.AsSpan()), JsonBody, new string(FormBody.AsSpan()), new string(JsonBody.AsSpan()), FormBody];
        await Deliveries.SettleAsync("node-a",
            [.. ids.Select((id, i) => WithBody(Settled(id, AttemptOutcome.Succeeded, DeliveryStatus.Succeeded, null), sent[i]))], Ct);

        Assert.Equal(2L, Convert.ToInt64(await Fixture.RawScalarAsync("SELECT COUNT(*) FROM request_bodies"), CultureInfo.InvariantCulture));
        var stored = new List<string>();
        foreach (var id in ids)
        {
            stored.AddRange((await Deliveries.FindDeliveryAsync(service.Id, id, Ct))!.Attempts.Select(a => a.RequestBody));
        }

        Assert.Equal([FormBody, JsonBody, FormBody, JsonBody, FormBody], stored);
    }

    [Fact]
    public async Task Attempt_StoredWithItsBodyInline_BeforeBodiesWereStoredOnce_StillReadsItsBody()
    {
        var (_, service, deliveryId) = await QueuedAsync();
        await Fixture.RawScalarAsync(
            "INSERT INTO attempts (delivery_id, number, node_id, started_at, duration_ms, request_url, request_headers, request_body, response_status, response_headers, response_body, error, outcome) " +
            $"VALUES ('{deliveryId}', 1, 'old-node', {T0.ToUnixTimeMilliseconds()}, 42, 'https://ci.example.com/hook', 'Content-Type: x', 'payload=old', 200, 'Server: test', 'ok', NULL, 0)");
        await Fixture.RawScalarAsync($"UPDATE deliveries SET attempt_count = 1 WHERE id = '{deliveryId}'");
        await Deliveries.ClaimDueAsync("node-a", T0, Lease, 10, Ct);
        await Deliveries.SettleAsync("node-a", [WithBody(Settled(deliveryId, AttemptOutcome.Succeeded, DeliveryStatus.Succeeded, null), JsonBody)], Ct);

        var attempts = (await Deliveries.FindDeliveryAsync(service.Id, deliveryId, Ct))!.Attempts;
        Assert.Equal([(1, "payload=old"), (2, JsonBody)], attempts.Select(a => (a.Number, a.RequestBody)));
    }

    [Fact]
    public async Task Prune_DeletesRequestBodiesNoAttemptPointsAt_AndKeepsThoseStillShared()
    {
        var (service, ids) = await QueuedForOneServiceAsync(3);

        await Deliveries.ClaimDueAsync("node-a", T0, Lease, 10, Ct);
        await Deliveries.SettleAsync("node-a",
        [
            WithBody(Settled(ids[0], AttemptOutcome.Succeeded, DeliveryStatus.Succeeded, null, at: T0), FormBody),
            WithBody(Settled(ids[1], AttemptOutcome.Succeeded, DeliveryStatus.Succeeded, null, at: T0), JsonBody),
            WithBody(Settled(ids[2], AttemptOutcome.Succeeded, DeliveryStatus.Succeeded, null, at: T0.AddDays(2)), FormBody),
        ], Ct);

        Assert.Equal(2, await Deliveries.PruneAsync(T0.AddDays(1), Ct));

        Assert.Equal(1L, Convert.ToInt64(await Fixture.RawScalarAsync("SELECT COUNT(*) FROM request_bodies"), CultureInfo.InvariantCulture));
        Assert.Equal([FormBody], (await Deliveries.FindDeliveryAsync(service.Id, ids[2], Ct))!.Attempts.Select(a => a.RequestBody));
        Assert.Equal(1, await Deliveries.PruneAsync(T0.AddDays(3), Ct));
        Assert.Equal(0L, Convert.ToInt64(await Fixture.RawScalarAsync("SELECT COUNT(*) FROM request_bodies"), CultureInfo.InvariantCulture));
    }

    /// <summary>One service, <paramref name="pushes"/> pushes queued for it, all due at T0.</summary>
    private async Task<(Posthorn.Core.PostServices.PostService Service, List<Guid> Ids)> QueuedForOneServiceAsync(int pushes)
    {
        var repository = await RepositoryAsync();
        var service = await ServiceAsync(repository.Id);
        var ids = new List<Guid>();
        for (var i = 0; i < pushes; i++)
        {
            ids.AddRange((await Storage.Pushes.RecordPushAsync(PushOf(repository.Id, T0), Ct)).DeliveryIds);
        }

        return (service, ids);
    }

    private static Settlement WithBody(Settlement settlement, string body) => settlement with { Attempt = settlement.Attempt with { RequestBody = body } };
}
