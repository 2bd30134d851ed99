using System.Diagnostics;
using Posthorn.Core.Deliveries;
using Xunit.Abstractions;

namespace Posthorn.EndToEnd.MultiNode;

/// <summary>
/// Issue 5: two posthorn processes on one PostgreSQL share the delivery queue safely. Every delivery
/// arrives, none is received from both nodes at once, repeats keep their delivery id, and a node
/// started later takes over the retries another node left behind.
/// </summary>
public sealed class MultiNodeDeliveryTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, string> FastNodes = new()
    {
        ["Delivery__Lease"] = "00:00:05",
        ["Delivery__AttemptTimeout"] = "00:00:03",
        ["Delivery__MaxIdle"] = "00:00:00.500",
        ["Delivery__RetrySchedule__0"] = "00:00:01",
        ["Delivery__RetrySchedule__1"] = "00:00:01",
        ["Delivery__RetrySchedule__2"] = "00:00:01",
        ["Delivery__RetrySchedule__3"] = "00:00:01",
        ["Delivery__RetrySchedule__4"] = "00:00:01",
        ["Delivery__RetrySchedule__5"] = "00:00:01",
        ["Delivery__Jitter"] = "0",
        ["Delivery__PauseAfterFailures"] = "1000",
        ["Delivery__DisableAfterFailures"] = "1000",
    };

    [Fact]
    public async Task TwoNodes_OneKilledMidBurst_EveryDeliveryArrives_NeverConcurrently_RepeatsKeepTheirId()
    {
        const int PushesPerNode = 8;
        const int Services = 2;
        await using var receiver = await TimedReceiver.StartAsync();
        // Slow answers keep deliveries in flight on the node when it is killed.
        receiver.Respond = async (_, aborted) =>
        {
            await Task.Delay(1000, aborted);
            return 200;
        };
        await using var cluster = await Cluster.CreateAsync(FastNodes);
        for (var i = 0; i < Services; i++)
        {
            await cluster.AddServiceAsync($"{receiver.Url}?service={i}");
        }

        var nodeA = await cluster.StartNodeAsync("node-a");
        var nodeB = await cluster.StartNodeAsync("node-b");

        // Two developers push at once, one through each node, each on a branch of their own.
        var pushingA = PushManyAsync(nodeA, "a", PushesPerNode * 2);
        await PushManyAsync(nodeB, "b", PushesPerNode);
        await nodeB.KillAsync();
        var inFlightWhenKilled = receiver.Requests.Count;
        await pushingA;

        await using var storage = cluster.OpenStorage();
        var pushes = (await storage.Pushes.ListPushesAsync(await RepositoryIdAsync(storage), 1000, null, CancellationToken.None)).Count;
        var expected = pushes * Services;
        await receiver.WaitForDeliveredAsync(expected, TimeSpan.FromSeconds(60));

        var requests = receiver.Requests;
        var byDelivery = requests.GroupBy(r => r.DeliveryId).ToList();
        Assert.Equal(3 * PushesPerNode, pushes);
        Assert.Equal(expected, byDelivery.Count);
        Assert.All(byDelivery, g => Assert.Contains(g, r => r.Status == 200 && !r.Aborted));
        foreach (var group in byDelivery)
        {
            var sends = group.ToList();
            for (var i = 0; i < sends.Count; i++)
            {
                for (var j = i + 1; j < sends.Count; j++)
                {
                    Assert.False(sends[i].Overlaps(sends[j]), $"delivery {group.Key} was received twice at once");
                }
            }

            // A repeat is the same delivery: same id (grouped on it) and the same payload.
            Assert.Single(sends.Select(s => s.Body).Distinct());
        }

        var nodesUsed = await AttemptNodesAsync(storage, byDelivery.Select(g => Guid.Parse(g.Key)));
        var repeats = requests.Count - byDelivery.Count;
        output.WriteLine(
            $"kill test: {pushes} pushes, {expected} deliveries, {requests.Count} requests, {repeats} repeats " +
            $"({requests.Count(r => r.Aborted)} cut off by the SIGKILL); attempts logged per node: {string.Join(", ", nodesUsed.Select(n => $"{n.Key}={n.Value}"))}; " +
            $"requests seen when node-b was killed: {inFlightWhenKilled}");
        Assert.True(nodesUsed.Count == 2, "both nodes should have delivered some of the burst");

        async Task PushManyAsync(Support.PosthornServer node, string branch, int count)
        {
            var work = await cluster.Git.InitWithCommitsAsync(Path.Combine(cluster.Folder.Path, "work-" + branch), "README-" + branch);
            for (var i = 0; i < count; i++)
            {
                await cluster.Git.CommitFileAsync(work, $"{branch}{i}.txt", $"{i}\n", $"{branch} {i}");
                await cluster.Git.RunAsync(work, "push", "-q", cluster.GitUrl(node), $"HEAD:refs/heads/{branch}");
            }
        }
    }

    // Regression: with two nodes, a short lease and a loaded machine, one delivery was received twice at
    // once: the lease ran from claim time, the attempt's timeout from send time, and nothing bounded the
    // gap. Here both nodes are overloaded on purpose (every delivery claimed at once, slow answers, a
    // 3 s lease) so claims routinely come back late; a node must give such a lease back, never send.
    [Fact]
    public async Task TwoOverloadedNodes_TinyLease_ManyDeliveries_NoDeliveryIsEverReceivedTwiceAtOnce()
    {
        const int Services = 20;
        const int Pushes = 10;
        await using var receiver = await TimedReceiver.StartAsync();
        receiver.Respond = async (_, aborted) =>
        {
            await Task.Delay(700, aborted); // most of an attempt's 1 s: a late send would outlive its lease
            return 200;
        };
        var env = new Dictionary<string, string>(FastNodes)
        {
            ["Delivery__Lease"] = "00:00:03",
            ["Delivery__AttemptTimeout"] = "00:00:01",
            // The product's default margin. With half of it, one run on a machine losing CPU to its
            // neighbours counted a delivery received twice at once: this test times requests at the
            // receiver, where a timed-out request's end (the sender's abort) can arrive late.
            ["Delivery__LeaseMargin"] = "00:00:01",
            ["Delivery__MaxConcurrency"] = "400",
            ["Delivery__ClaimBatch"] = "400",
            ["Delivery__MaxInFlightPerService"] = "400",
            ["Delivery__MaxInFlightPerOwner"] = "400",
            ["Delivery__RetrySchedule__0"] = "00:00:00.100",
        };
        await using var cluster = await Cluster.CreateAsync(env);
        var services = new List<long>();
        for (var i = 0; i < Services; i++)
        {
            services.Add(await cluster.AddServiceAsync($"{receiver.Url}?service={i}"));
        }

        // Queue the whole burst before any node runs, so both start on a full queue at once.
        await using (var storage = cluster.OpenStorage())
        {
            for (var i = 0; i < Pushes; i++)
            {
                foreach (var service in services)
                {
                    await storage.Deliveries.EnqueueAsync(service, "push", $"{{\"n\":{i}}}", DateTimeOffset.UtcNow, CancellationToken.None);
                }
            }
        }

        await Task.WhenAll(cluster.StartNodeAsync("node-a"), cluster.StartNodeAsync("node-b"));
        await receiver.WaitForDeliveredAsync(Services * Pushes, TimeSpan.FromSeconds(180));

        var byDelivery = receiver.Requests.GroupBy(r => r.DeliveryId).ToList();
        Assert.Equal(Services * Pushes, byDelivery.Count);
        foreach (var group in byDelivery)
        {
            var sends = group.ToList();
            for (var i = 0; i < sends.Count; i++)
            {
                for (var j = i + 1; j < sends.Count; j++)
                {
                    Assert.False(sends[i].Overlaps(sends[j]), $"delivery {group.Key} was received twice at once");
                }
            }
        }

        output.WriteLine($"overload: {Services * Pushes} deliveries, {receiver.Requests.Count} requests ({receiver.Requests.Count - byDelivery.Count} repeats, none concurrent)");
    }

    [Fact]
    public async Task NodeStartedLater_PicksUpThePendingRetriesOfAStoppedNode()
    {
        await using var receiver = await TimedReceiver.StartAsync();
        var failing = true;
        receiver.Respond = (_, _) => Task.FromResult(Volatile.Read(ref failing) ? 503 : 200);
        await using var cluster = await Cluster.CreateAsync(FastNodes);
        await cluster.AddServiceAsync(receiver.Url);
        var nodeA = await cluster.StartNodeAsync("node-a");

        var work = await cluster.Git.InitWithCommitsAsync(Path.Combine(cluster.Folder.Path, "work"), "README");
        for (var i = 0; i < 3; i++)
        {
            await cluster.Git.CommitFileAsync(work, $"f{i}.txt", $"{i}\n", $"change {i}");
            await cluster.Git.RunAsync(work, "push", "-q", cluster.GitUrl(nodeA), "HEAD:refs/heads/main");
        }

        await WaitUntilAsync(() => receiver.Requests.Select(r => r.DeliveryId).Distinct().Count() == 3, "a failed first attempt of each delivery");
        await nodeA.KillAsync();
        Volatile.Write(ref failing, false);
        var failedWhileA = receiver.Requests.Count;

        var watch = Stopwatch.StartNew();
        await cluster.StartNodeAsync("node-b");
        await receiver.WaitForDeliveredAsync(3, TimeSpan.FromSeconds(30));

        await using var storage = cluster.OpenStorage();
        var ids = receiver.Requests.Select(r => Guid.Parse(r.DeliveryId)).Distinct().ToList();
        // The receiver sees a 200 before node-b's batched settlement records it: wait for the log.
        var nodes = await AttemptNodesAsync(storage, ids, succeededOnly: true);
        var settling = Stopwatch.StartNew();
        while (nodes.Values.Sum() < 3 && settling.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50);
            nodes = await AttemptNodesAsync(storage, ids, succeededOnly: true);
        }

        Assert.Equal(new Dictionary<string, int> { ["node-b"] = 3 }, nodes);
        // Each success follows a failed attempt of the same delivery. (Its attempt number may repeat 1:
        // node-a can be killed after the receiver answered but before its batched settlement recorded it.)
        var requests = receiver.Requests;
        Assert.All(requests.Where(r => r.Status == 200), r =>
            Assert.Contains(requests, f => f.DeliveryId == r.DeliveryId && f.Status == 503 && f.ArrivedTicks < r.ArrivedTicks));
        output.WriteLine($"late node: {failedWhileA} failed attempts on node-a, then node-b delivered 3 retries {watch.Elapsed.TotalSeconds:0.0} s after starting");
    }

    private static async Task<long> RepositoryIdAsync(Storage.StorageHandle storage) =>
        (await storage.Repositories.FindRepositoryAsync("alice", "r", CancellationToken.None))!.Id;

    /// <summary>Attempts per node across the given deliveries, from the attempt log.</summary>
    private static async Task<Dictionary<string, int>> AttemptNodesAsync(Storage.StorageHandle storage, IEnumerable<Guid> deliveryIds, bool succeededOnly = false)
    {
        var repository = await RepositoryIdAsync(storage);
        var services = await storage.PostServices.ListServicesAsync(repository, CancellationToken.None);
        var counts = new Dictionary<string, int>();
        foreach (var id in deliveryIds)
        {
            foreach (var service in services)
            {
                var detail = await storage.Deliveries.FindDeliveryAsync(service.Id, id, CancellationToken.None);
                foreach (var attempt in detail?.Attempts ?? [])
                {
                    if (!succeededOnly || attempt.Outcome == AttemptOutcome.Succeeded)
                    {
                        counts[attempt.NodeId] = counts.GetValueOrDefault(attempt.NodeId) + 1;
                    }
                }
            }
        }

        return counts;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "timed out waiting for " + what);
            await Task.Delay(20);
        }
    }
}
