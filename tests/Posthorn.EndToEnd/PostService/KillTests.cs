using System.Collections.Concurrent;
using System.Diagnostics;
using Posthorn.EndToEnd.Support;
using Xunit.Abstractions;

namespace Posthorn.EndToEnd.PostService;

/// <summary>At-least-once across a SIGKILL: deliveries pending when the process dies all arrive after it restarts, under their original ids.</summary>
public sealed class KillTests(ITestOutputHelper output)
{
    private const int Pushes = 6;

    // Retries for 30 s or so (0.2 s, then every second), long enough that no delivery gives up
    // while the pushes are still being made on a slow machine.
    private static readonly Dictionary<string, string> Environment = new(
        Enumerable.Range(1, 30).Select(i => KeyValuePair.Create($"Delivery__RetrySchedule__{i}", "00:00:01")))
    {
        ["Delivery__RetrySchedule__0"] = "00:00:00.200",
        ["Delivery__Jitter"] = "0",
        ["Delivery__AttemptTimeout"] = "00:00:03",
        ["Delivery__Lease"] = "00:00:08", // a claim held by the killed process is taken over this soon; room for a busy node to start its sends
        ["Delivery__MaxIdle"] = "00:00:00.200",
        ["Delivery__PauseAfterFailures"] = "1000",
        ["Delivery__DisableAfterFailures"] = "1000",
    };

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task KilledWhileDeliveriesArePending_EveryDeliveryArrivesAfterRestart_RepeatsUnderTheSameId(string backend)
    {
        await using var site = await Site.StartAsync(backend, Environment);
        await using var receiver = await Receiver.StartAsync();
        var failing = true;
        var successes = new ConcurrentBag<string>();
        receiver.Respond = (_, r) =>
        {
            if (Volatile.Read(ref failing))
            {
                return Task.FromResult(503);
            }

            successes.Add(r.Header("x-posthorn-delivery"));
            return Task.FromResult(200);
        };
        var work = await Repos.CreateAsync(site, "kill");
        var hook = await Hook.AddAsync(site, "kill", receiver.Url + "/kill");
        var pushed = new List<string>();
        for (var i = 0; i < Pushes; i++)
        {
            pushed.Add(await Repos.CommitAsync(site, work, $"f{i}"));
            await Repos.PushAsync(site, work, "kill", "main");
        }

        await receiver.WaitForAsync(r => true, Pushes, TimeSpan.FromSeconds(60));
        var ids = (await hook.DeliveriesAsync()).Select(d => d.GetProperty("id").GetString()!).ToList();
        Assert.Equal(Pushes, ids.Count);
        await site.Server.KillAsync();
        var beforeKill = receiver.Requests.Count;
        Volatile.Write(ref failing, false);
        var restarted = Stopwatch.StartNew();
        await site.Server.StartAsync();

        foreach (var id in ids)
        {
            await hook.WaitForDeliveryAsync(id, d => Hook.Status(d) == "succeeded", TimeSpan.FromSeconds(90));
        }

        var allArrived = restarted.Elapsed;
        await Task.Delay(300);
        var requests = receiver.Requests;
        Assert.Equal(ids.Order(), successes.Distinct().Order());

        // Every request for one push's commit carries that push's one delivery id.
        var idsByCommit = requests
            .GroupBy(r => ReceivedPayload.Of(r).GetProperty("commits")[0].GetProperty("raw_node").GetString()!)
            .ToDictionary(g => g.Key, g => g.Select(r => r.Header("x-posthorn-delivery")).Distinct().ToList());
        Assert.Equal(pushed.Order(), idsByCommit.Keys.Order());
        Assert.All(idsByCommit.Values, v => Assert.Single(v));
        // Attempt numbers never go back (an attempt cut off by the kill before it was recorded may be repeated under its number).
        Assert.All(requests.GroupBy(r => r.Header("x-posthorn-delivery")), g =>
        {
            var numbers = g.Select(r => int.Parse(r.Header("x-posthorn-attempt"), System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(1, numbers[0]);
            Assert.Equal(numbers.Order(), numbers);
        });

        output.WriteLine(
            $"[{backend}] kill test: {Pushes} pushes → {ids.Count} deliveries pending at SIGKILL ({beforeKill} failed requests before it); " +
            $"after restart {successes.Count} successful requests for {successes.Distinct().Count()}/{ids.Count} deliveries " +
            $"({successes.Count - successes.Distinct().Count()} duplicate successes), {requests.Count} requests in all, " +
            $"all delivered {allArrived.TotalSeconds:0.0} s after restart began");
    }
}
