using Posthorn.Core.Deliveries;

namespace Posthorn.Tests.Storage;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task Settle_RecordsAttemptsNumberedOverTheDeliverysLife_AndMovesItOn()
    {
        var (_, service, deliveryId) = await QueuedAsync();
        await Deliveries.ClaimDueAsync("node-a", T0, Lease, 10, Ct);
        await Deliveries.SettleAsync("node-a", [Settled(deliveryId, AttemptOutcome.RetryableFailure, DeliveryStatus.Pending, T0.AddMinutes(1))], Ct);

        var retry = (await Deliveries.FindDeliveryAsync(service.Id, deliveryId, Ct))!.Delivery;
        Assert.Equal((DeliveryStatus.Pending, T0.AddMinutes(1), 1, 1, 500, "HTTP 500"), (retry.Status, retry.NextAttemptAt, retry.AttemptCount, retry.RoundAttempts, retry.LastResponseStatus, retry.LastError));

        await Deliveries.ClaimDueAsync("node-a", T0.AddMinutes(1), Lease, 10, Ct);
        await Deliveries.SettleAsync("node-a", [Settled(deliveryId, AttemptOutcome.Succeeded, DeliveryStatus.Succeeded, null, at: T0.AddMinutes(1))], Ct);

        var detail = (await Deliveries.FindDeliveryAsync(service.Id, deliveryId, Ct))!;
        Assert.Equal((DeliveryStatus.Succeeded, 2, T0.AddMinutes(1).AddMilliseconds(42)), (detail.Delivery.Status, detail.Delivery.AttemptCount, detail.Delivery.CompletedAt));
        Assert.Equal([1, 2], detail.Attempts.Select(a => a.Number));
        var first = detail.Attempts[0];
        Assert.Equal((deliveryId, "node-a", T0, TimeSpan.FromMilliseconds(42), 500, "ok", AttemptOutcome.RetryableFailure),
            (first.DeliveryId, first.NodeId, first.StartedAt, first.Duration, first.ResponseStatus!.Value, first.ResponseBody, first.Outcome));
        Assert.Equal(("https://ci.example.com/hook", "Content-Type: x", "payload=...", "Server: test"), (first.RequestUrl, first.RequestHeaders, first.RequestBody, first.ResponseHeaders));
        Assert.Null(await Deliveries.FindDeliveryAsync(service.Id + 1000, deliveryId, Ct));
    }

    [Fact]
    public async Task Settle_BatchFailingPartWay_WritesNothing_AndTheNextSettlementRecordsEveryAttempt()
    {
        // The moves run before the attempt rows, in the same transaction: an attempt row the database
        // refuses (here a missing URL) must take the batch's moves with it, and the store (on SQLite,
        // its held write connection) must write the next batch normally.
        var (service, ids) = await QueuedForOneServiceAsync(3);
        await Deliveries.ClaimDueAsync("node-a", T0, Lease, 10, Ct);
        var good = ids.Select(id => Settled(id, AttemptOutcome.Succeeded, DeliveryStatus.Succeeded, null)).ToList();
        var broken = good.Select((s, i) => i == 2 ? s with { Attempt = s.Attempt with { RequestUrl = null! } } : s).ToList();

        // Refused for a value (a NOT NULL column), which the writer tells from a database it cannot reach.
        await Assert.ThrowsAsync<RecordRefusedException>(() => Deliveries.SettleAsync("node-a", broken, Ct));

        foreach (var id in ids)
        {
            var detail = (await Deliveries.FindDeliveryAsync(service.Id, id, Ct))!;
            Assert.Equal((DeliveryStatus.Pending, 0, 0), (detail.Delivery.Status, detail.Delivery.AttemptCount, detail.Attempts.Count));
        }

        Assert.Equal([0, 0, 0], Failures(await Deliveries.SettleAsync("node-a", good, Ct)));
        foreach (var id in ids)
        {
            var detail = (await Deliveries.FindDeliveryAsync(service.Id, id, Ct))!;
            Assert.Equal((DeliveryStatus.Succeeded, 1), (detail.Delivery.Status, detail.Delivery.AttemptCount));
            Assert.Equal([1], detail.Attempts.Select(a => a.Number));
        }
    }

    [Fact]
    public async Task Settle_AfterTheLeaseWasLostToAnotherNode_WritesNothingAndReturnsNull()
    {
        var (_, service, deliveryId) = await QueuedAsync();
        await Deliveries.ClaimDueAsync("node-a", T0, Lease, 10, Ct);
        await Deliveries.ClaimDueAsync("node-b", T0 + Lease, Lease, 10, Ct);

        var results = await Deliveries.SettleAsync("node-a", [Settled(deliveryId, AttemptOutcome.Succeeded, DeliveryStatus.Succeeded, null)], Ct);

        Assert.Equal([null], Failures(results));
        var detail = (await Deliveries.FindDeliveryAsync(service.Id, deliveryId, Ct))!;
        Assert.Equal((DeliveryStatus.Pending, 0), (detail.Delivery.Status, detail.Delivery.AttemptCount));
        Assert.Empty(detail.Attempts);
        Assert.Equal(0, (await Storage.PostServices.FindServiceAsync(service.RepositoryId, service.Id, Ct))!.Health.ConsecutiveFailures);
        Assert.Equal([1], Failures(await Deliveries.SettleAsync("node-b", [Settled(deliveryId, AttemptOutcome.RetryableFailure, DeliveryStatus.Pending, T0, "node-b")], Ct)));
    }

    [Fact]
    public async Task Settle_Batch_CountsConsecutiveFailuresPerService_AndSuccessResetsThem()
    {
        var repository = await RepositoryAsync();
        var service = await ServiceAsync(repository.Id);
        var ids = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            ids.AddRange((await Storage.Pushes.RecordPushAsync(PushOf(repository.Id, T0), Ct)).DeliveryIds);
        }

        await Deliveries.ClaimDueAsync("node-a", T0, Lease, 10, Ct);
        var results = await Deliveries.SettleAsync("node-a",
        [
            Settled(ids[0], AttemptOutcome.RetryableFailure, DeliveryStatus.Pending, T0.AddMinutes(1)),
            Settled(ids[1], AttemptOutcome.PermanentFailure, DeliveryStatus.Failed, null),
            Settled(ids[2], AttemptOutcome.Gone, DeliveryStatus.Failed, null),
        ], Ct);
        Assert.Equal([1, 2, 3], Failures(results));

        Assert.Equal([0], Failures(await Deliveries.SettleAsync("node-a", [Settled(ids[3], AttemptOutcome.Succeeded, DeliveryStatus.Succeeded, null, at: T0.AddSeconds(1))], Ct)));
        var health = (await Storage.PostServices.FindServiceAsync(repository.Id, service.Id, Ct))!.Health;
        Assert.Equal((0, AttemptOutcome.Succeeded, T0.AddSeconds(1)), (health.ConsecutiveFailures, health.LastOutcome, health.LastAttemptAt));
    }

    [Fact]
    public async Task Settle_BatchOfSuccessesOfOneService_AnswersZeroForEach_AndKeepsTheLastAttemptOnTheService()
    {
        var repository = await RepositoryAsync();
        var service = await ServiceAsync(repository.Id);
        var ids = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            ids.AddRange((await Storage.Pushes.RecordPushAsync(PushOf(repository.Id, T0), Ct)).DeliveryIds);
        }

        await Deliveries.ClaimDueAsync("node-a", T0, Lease, 10, Ct);
        await Deliveries.SettleAsync("node-a", [Settled(ids[0], AttemptOutcome.RetryableFailure, DeliveryStatus.Pending, T0.AddMinutes(1))], Ct);

        // The batch's successes share one service row update; the row ends as the last attempt in the batch left it.
        var results = await Deliveries.SettleAsync("node-a",
        [
            Settled(ids[1], AttemptOutcome.Succeeded, DeliveryStatus.Succeeded, null, at: T0.AddSeconds(3)),
            Settled(ids[2], AttemptOutcome.Succeeded, DeliveryStatus.Succeeded, null, at: T0.AddSeconds(1)),
            Settled(ids[3], AttemptOutcome.Succeeded, DeliveryStatus.Succeeded, null, at: T0.AddSeconds(2)),
        ], Ct);

        Assert.Equal([0, 0, 0], Failures(results));
        var health = (await Storage.PostServices.FindServiceAsync(repository.Id, service.Id, Ct))!.Health;
        Assert.Equal((0, AttemptOutcome.Succeeded, T0.AddSeconds(2)), (health.ConsecutiveFailures, health.LastOutcome, health.LastAttemptAt));
        foreach (var id in ids.Skip(1))
        {
            var detail = (await Deliveries.FindDeliveryAsync(service.Id, id, Ct))!;
            Assert.Equal((DeliveryStatus.Succeeded, 1), (detail.Delivery.Status, detail.Attempts.Count));
        }
    }

    [Fact]
    public async Task Settle_BatchMixingServices_CountsEachServiceInOrder()
    {
        var repository = await RepositoryAsync();
        var failing = await ServiceAsync(repository.Id, url: "https://ci.example.com/failing");
        var working = await ServiceAsync(repository.Id, url: "https://ci.example.com/working");
        var byService = new Dictionary<long, List<Guid>> { [failing.Id] = [], [working.Id] = [] };
        for (var i = 0; i < 2; i++)
        {
            foreach (var id in (await Storage.Pushes.RecordPushAsync(PushOf(repository.Id, T0), Ct)).DeliveryIds)
            {
                var claimedService = (await Deliveries.FindDeliveryAsync(failing.Id, id, Ct)) is null ? working.Id : failing.Id;
                byService[claimedService].Add(id);
            }
        }

        await Deliveries.ClaimDueAsync("node-a", T0, Lease, 10, Ct);
        var results = await Deliveries.SettleAsync("node-a",
        [
            Settled(byService[failing.Id][0], AttemptOutcome.RetryableFailure, DeliveryStatus.Pending, T0.AddMinutes(1)),
            Settled(byService[working.Id][0], AttemptOutcome.Succeeded, DeliveryStatus.Succeeded, null),
            Settled(byService[failing.Id][1], AttemptOutcome.RetryableFailure, DeliveryStatus.Pending, T0.AddMinutes(1)),
            Settled(byService[working.Id][1], AttemptOutcome.Succeeded, DeliveryStatus.Succeeded, null),
        ], Ct);

        Assert.Equal([1, 0, 2, 0], Failures(results));
        Assert.Equal(2, (await Storage.PostServices.FindServiceAsync(repository.Id, failing.Id, Ct))!.Health.ConsecutiveFailures);
        Assert.Equal(0, (await Storage.PostServices.FindServiceAsync(repository.Id, working.Id, Ct))!.Health.ConsecutiveFailures);
    }

    [Fact]
    public async Task Settle_BatchOfAHundredOverSeveralServices_RecordsEveryHeldAttemptAsGiven_AndLeavesTheLostOnes()
    {
        // Large enough to be cut into parts on SQLite (64 + 32 + 4 rows per statement), with lost leases
        // in the middle, three services (always succeeding, alternating, always failing) and one body
        // per attempt: each attempt must land on its own delivery with its own values.
        var repository = await RepositoryAsync();
        var services = new[] { await ServiceAsync(repository.Id, url: "https://ci.example.com/a"), await ServiceAsync(repository.Id, url: "https://ci.example.com/b"), await ServiceAsync(repository.Id, url: "https://ci.example.com/c") };
        var serviceOf = new Dictionary<Guid, int>();
        for (var p = 0; p < 35; p++)
        {
            foreach (var id in (await Storage.Pushes.RecordPushAsync(PushOf(repository.Id, T0), Ct)).DeliveryIds)
            {
                serviceOf[id] = Array.FindIndex(services, s => Deliveries.FindDeliveryAsync(s.Id, id, Ct).Result is not null);
            }
        }

        var ids = serviceOf.Keys.Take(103).ToList();
        Assert.Equal(105, (await Deliveries.ClaimDueAsync("node-a", T0, Lease, 200, Ct)).Count);
        var lost = new[] { ids[5], ids[50], ids[99] };
        await Deliveries.ReleaseAsync("node-a", lost, Ct);
        Assert.Equal(3, (await Deliveries.ClaimDueAsync("node-b", T0, Lease, 200, Ct)).Count);

        var settlements = ids.Select((id, i) =>
        {
            var ok = serviceOf[id] == 0 || (serviceOf[id] == 1 && i % 2 == 0);
            var settled = ok
                ? Settled(id, AttemptOutcome.Succeeded, DeliveryStatus.Succeeded, null, at: T0.AddSeconds(i))
                : Settled(id, AttemptOutcome.RetryableFailure, DeliveryStatus.Pending, T0.AddMinutes(1).AddSeconds(i), at: T0.AddSeconds(i));
            return settled with { Attempt = settled.Attempt with { RequestUrl = $"https://ci.example.com/{i}", RequestBody = $"payload={i % 7}" } };
        }).ToList();

        var results = await Deliveries.SettleAsync("node-a", settlements, Ct);

        var failures = new int[3];
        var expected = new List<int?>();
        for (var i = 0; i < ids.Count; i++)
        {
            if (lost.Contains(ids[i]))
            {
                expected.Add(null);
                continue;
            }

            failures[serviceOf[ids[i]]] = settlements[i].Attempt.Outcome == AttemptOutcome.Succeeded ? 0 : failures[serviceOf[ids[i]]] + 1;
            expected.Add(failures[serviceOf[ids[i]]]);
        }

        Assert.Equal(expected, Failures(results));
        for (var i = 0; i < ids.Count; i++)
        {
            var detail = (await Deliveries.FindDeliveryAsync(services[serviceOf[ids[i]]].Id, ids[i], Ct))!;
            if (lost.Contains(ids[i]))
            {
                Assert.Equal((DeliveryStatus.Pending, 0, 0), (detail.Delivery.Status, detail.Delivery.AttemptCount, detail.Attempts.Count));
                continue;
            }

            var attempt = Assert.Single(detail.Attempts);
            Assert.Equal((settlements[i].Status, 1, settlements[i].NextAttemptAt ?? T0, settlements[i].Attempt.Error),
                (detail.Delivery.Status, detail.Delivery.AttemptCount, detail.Delivery.NextAttemptAt, detail.Delivery.LastError));
            Assert.Equal((1, $"https://ci.example.com/{i}", $"payload={i % 7}", T0.AddSeconds(i), settlements[i].Attempt.Outcome),
                (attempt.Number, attempt.RequestUrl, attempt.RequestBody, attempt.StartedAt, attempt.Outcome));
        }

        for (var k = 0; k < 3; k++)
        {
            var last = Enumerable.Range(0, ids.Count).Last(i => serviceOf[ids[i]] == k && !lost.Contains(ids[i]));
            var health = (await Storage.PostServices.FindServiceAsync(repository.Id, services[k].Id, Ct))!.Health;
            Assert.Equal((failures[k], settlements[last].Attempt.Outcome, T0.AddSeconds(last)), (health.ConsecutiveFailures, health.LastOutcome, health.LastAttemptAt));
        }
    }

    [Fact]
    public async Task Settle_SameDeliveryTwiceInOneBatch_RecordsTheFirst_AndAnswersNullForTheSecond()
    {
        // Two attempts of one delivery can meet in a batch when its lease ran out and this node took it
        // again. The first move gives the lease up, so the second finds it gone, as if settled apart.
        var (_, service, deliveryId) = await QueuedAsync();
        await Deliveries.ClaimDueAsync("node-a", T0, Lease, 10, Ct);
        await Deliveries.ClaimDueAsync("node-a", T0 + Lease, Lease, 10, Ct);

        var results = await Deliveries.SettleAsync("node-a",
        [
            Settled(deliveryId, AttemptOutcome.RetryableFailure, DeliveryStatus.Pending, T0.AddMinutes(1)),
            Settled(deliveryId, AttemptOutcome.Succeeded, DeliveryStatus.Succeeded, null, at: T0 + Lease),
        ], Ct);

        Assert.Equal([1, null], Failures(results));
        var detail = (await Deliveries.FindDeliveryAsync(service.Id, deliveryId, Ct))!;
        Assert.Equal((DeliveryStatus.Pending, 1), (detail.Delivery.Status, detail.Delivery.AttemptCount));
        Assert.Equal([AttemptOutcome.RetryableFailure], detail.Attempts.Select(a => a.Outcome));
    }

    // Found by review: a settlement recorded late (its writes failed until its lease ran out) after
    // the same node claimed the delivery again and sent it once more cleared the new lease, so the
    // second send's own settlement found the lease gone, and the delivery could be sent a third time.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Settle_OfAnExpiredLease_LeavesTheLeaseTheSameNodeTookSince_ToItsOwnSettlement(bool oneBatch)
    {
        var (_, service, deliveryId) = await QueuedAsync();
        var expired = Assert.Single(await Deliveries.ClaimDueAsync("node-a", T0, Lease, 10, Ct));
        var current = Assert.Single(await Deliveries.ClaimDueAsync("node-a", T0 + Lease, Lease, 10, Ct));
        var late = Settled(deliveryId, AttemptOutcome.RetryableFailure, DeliveryStatus.Pending, T0.AddMinutes(1)) with { LeaseUntil = expired.LeaseUntil };
        var own = Settled(deliveryId, AttemptOutcome.Succeeded, DeliveryStatus.Succeeded, null, at: T0 + Lease) with { LeaseUntil = current.LeaseUntil };

        if (oneBatch)
        {
            Assert.Equal([null, 0], Failures(await Deliveries.SettleAsync("node-a", [late, own], Ct)));
        }
        else
        {
            Assert.Equal([null], Failures(await Deliveries.SettleAsync("node-a", [late], Ct)));
            var held = (await Deliveries.FindDeliveryAsync(service.Id, deliveryId, Ct))!;
            Assert.Equal((DeliveryStatus.Pending, 0), (held.Delivery.Status, held.Delivery.AttemptCount));
            Assert.Empty(await Deliveries.ClaimDueAsync("node-b", T0 + Lease + TimeSpan.FromSeconds(1), Lease, 10, Ct)); // still leased to node-a
            Assert.Equal([0], Failures(await Deliveries.SettleAsync("node-a", [own], Ct)));
        }

        var detail = (await Deliveries.FindDeliveryAsync(service.Id, deliveryId, Ct))!;
        Assert.Equal((DeliveryStatus.Succeeded, 1), (detail.Delivery.Status, detail.Delivery.AttemptCount));
        Assert.Equal([(AttemptOutcome.Succeeded, T0 + Lease)], detail.Attempts.Select(a => (a.Outcome, a.StartedAt)));
    }

    // Found by review: a redelivery asked for while the last attempt of a round was under way was
    // lost, because that attempt's settlement, planned from the old round, marked the delivery failed.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Settle_AfterARedeliveryDuringTheAttempt_RecordsTheAttempt_AndKeepsTheRedelivery(bool withAnotherInTheBatch)
    {
        var (service, ids) = await QueuedForOneServiceAsync(2);
        var deliveryId = ids[0];
        await Deliveries.ClaimDueAsync("node-a", T0, Lease, 10, Ct);
        await Deliveries.SettleAsync("node-a", [Settled(deliveryId, AttemptOutcome.RetryableFailure, DeliveryStatus.Pending, T0.AddMinutes(1)), Settled(ids[1], AttemptOutcome.Succeeded, DeliveryStatus.Succeeded, null)], Ct);
        var inFlight = Assert.Single(await Deliveries.ClaimDueAsync("node-a", T0.AddMinutes(1), Lease, 10, Ct));
        Assert.Equal(1, inFlight.Delivery.RoundAttempts);

        var redeliveredAt = T0.AddMinutes(1).AddSeconds(5);
        Assert.True(await Deliveries.RedeliverAsync(service.Id, deliveryId, redeliveredAt, Ct));
        var exhausted = Settled(deliveryId, AttemptOutcome.RetryableFailure, DeliveryStatus.Failed, null, at: T0.AddMinutes(1)) with { Round = inFlight.Round };
        var others = withAnotherInTheBatch ? new[] { await ClaimedAgainAsync(ids[1]) } : [];
        var results = await Deliveries.SettleAsync("node-a", [exhausted, .. others], Ct);

        // The attempt counts for the service (its last success had cleared the count), and the store
        // answers with the status it kept, not the one planned: the delivery has not failed for good.
        Assert.Equal(new SettledDelivery(1, DeliveryStatus.Pending), results[0]);
        var detail = (await Deliveries.FindDeliveryAsync(service.Id, deliveryId, Ct))!;
        Assert.Equal((DeliveryStatus.Pending, redeliveredAt, 0, 2, (DateTimeOffset?)null), (detail.Delivery.Status, detail.Delivery.NextAttemptAt, detail.Delivery.RoundAttempts, detail.Delivery.AttemptCount, detail.Delivery.CompletedAt));
        Assert.Equal([1, 2], detail.Attempts.Select(a => a.Number));
        Assert.Equal(deliveryId, Assert.Single(await Deliveries.ClaimDueAsync("node-a", redeliveredAt, Lease, 10, Ct)).Delivery.Id);
        if (withAnotherInTheBatch)
        {
            Assert.Equal(DeliveryStatus.Failed, (await Deliveries.FindDeliveryAsync(service.Id, ids[1], Ct))!.Delivery.Status);
            Assert.Equal(DeliveryStatus.Failed, results[1]?.Status);
        }

        // Redelivered and claimed before its attempt: the same plan moves it as planned.
        async Task<Settlement> ClaimedAgainAsync(Guid id)
        {
            Assert.True(await Deliveries.RedeliverAsync(service.Id, id, T0, Ct));
            var again = Assert.Single(await Deliveries.ClaimDueAsync("node-a", T0.AddMinutes(1), Lease, 10, Ct), c => c.Delivery.Id == id);
            return Settled(id, AttemptOutcome.RetryableFailure, DeliveryStatus.Failed, null, at: T0.AddMinutes(1)) with { Round = again.Round };
        }
    }

    // Found when the store began answering with the status it kept: a redelivery asked for during a
    // round's first attempt was lost when that attempt failed for good, since the round's attempt
    // count (0) was the same before and after it. Each redelivery now starts a numbered round.
    [Fact]
    public async Task Settle_AfterARedeliveryDuringTheRoundsFirstAttempt_KeepsTheRedelivery()
    {
        var (_, service, deliveryId) = await QueuedAsync();
        var inFlight = Assert.Single(await Deliveries.ClaimDueAsync("node-a", T0, Lease, 10, Ct));
        Assert.Equal((0, 0), (inFlight.Delivery.RoundAttempts, inFlight.Round));

        Assert.True(await Deliveries.RedeliverAsync(service.Id, deliveryId, T0.AddSeconds(5), Ct));
        var gone = Settled(deliveryId, AttemptOutcome.Gone, DeliveryStatus.Failed, null) with { Round = inFlight.Round };
        var results = await Deliveries.SettleAsync("node-a", [gone], Ct);

        Assert.Equal(DeliveryStatus.Pending, results[0]?.Status);
        var detail = (await Deliveries.FindDeliveryAsync(service.Id, deliveryId, Ct))!;
        Assert.Equal((DeliveryStatus.Pending, T0.AddSeconds(5), 0, 1), (detail.Delivery.Status, detail.Delivery.NextAttemptAt, detail.Delivery.RoundAttempts, detail.Delivery.AttemptCount));
        var again = Assert.Single(await Deliveries.ClaimDueAsync("node-a", T0.AddSeconds(5), Lease, 10, Ct));
        Assert.Equal(1, again.Round);

        // The new round's own attempt moves the delivery as planned.
        Assert.Equal(DeliveryStatus.Failed, (await Deliveries.SettleAsync("node-a", [gone with { Round = again.Round }], Ct))[0]?.Status);
    }

    // Found by review: a node giving back a lease it could no longer send under (its send got a thread
    // too late) gave back any lease it held on the delivery, including one it had taken since.
    [Fact]
    public async Task Release_OfAnExpiredLease_LeavesTheLeaseTheSameNodeTookSince()
    {
        var (_, _, deliveryId) = await QueuedAsync();
        var expired = Assert.Single(await Deliveries.ClaimDueAsync("node-a", T0, Lease, 10, Ct));
        var current = Assert.Single(await Deliveries.ClaimDueAsync("node-a", T0 + Lease, Lease, 10, Ct));

        await Deliveries.ReleaseAsync("node-a", [deliveryId], expired.LeaseUntil, Ct);
        Assert.Empty(await Deliveries.ClaimDueAsync("node-b", T0 + Lease + TimeSpan.FromSeconds(1), Lease, 10, Ct));

        await Deliveries.ReleaseAsync("node-a", [deliveryId], current.LeaseUntil, Ct);
        Assert.Single(await Deliveries.ClaimDueAsync("node-b", T0 + Lease + TimeSpan.FromSeconds(1), Lease, 10, Ct));
    }

    // Regression: PostgreSQL's text cannot hold NUL, so a receiver answering with binary bytes made the
    // whole settlement batch fail, retried for ever while nothing else on the node was recorded.
    [Fact]
    public async Task Settle_AnAnswerWithNulBytes_IsRecorded_WithReplacementCharacters()
    {
        var (_, service, deliveryId) = await QueuedAsync();
        await Deliveries.ClaimDueAsync("node-a", T0, Lease, 10, Ct);
        var settled = Settled(deliveryId, AttemptOutcome.RetryableFailure, DeliveryStatus.Pending, T0.AddMinutes(1));
        settled = settled with
        {
            Attempt = settled.Attempt with { ResponseBody = "\u001f\u008b\0\0gzip", ResponseHeaders = "X-Odd: a\0b", Error = "HTTP 500: \0" },
        };

        var results = await Deliveries.SettleAsync("node-a", [settled], Ct);

        Assert.NotNull(results[0]);
        var attempt = Assert.Single((await Deliveries.FindDeliveryAsync(service.Id, deliveryId, Ct))!.Attempts);
        Assert.Equal(("\u001f\u008b\uFFFD\uFFFDgzip", "X-Odd: a\uFFFDb", "HTTP 500: \uFFFD"), (attempt.ResponseBody, attempt.ResponseHeaders, attempt.Error));
    }
}
