using Posthorn.EndToEnd.Support;

namespace Posthorn.EndToEnd.PostService;

public sealed class PauseSites : SiteFixture
{
    protected override IDictionary<string, string> Environment { get; } = new Dictionary<string, string>
    {
        ["Delivery__RetrySchedule__0"] = "00:00:00.200",
        ["Delivery__RetrySchedule__1"] = "00:00:00.200",
        ["Delivery__RetrySchedule__2"] = "00:00:00.200",
        ["Delivery__Jitter"] = "0",
        ["Delivery__AttemptTimeout"] = "00:00:30", // not about timeouts: a loaded machine must not turn a quick 500 or 200 into one
        ["Delivery__MaxIdle"] = "00:00:00.200",
        ["Delivery__PauseAfterFailures"] = "2",
        ["Delivery__PauseBase"] = "00:00:30", // long beside two pushes on a busy machine
        ["Delivery__PauseMax"] = "00:01:00",
        ["Delivery__DisableAfterFailures"] = "50",
    };
}

/// <summary>A service that keeps failing is paused or disabled visibly; its deliveries wait and then all arrive.</summary>
public sealed class PauseTests(PauseSites sites) : IClassFixture<PauseSites>
{
    [Fact]
    public async Task PausedService_KeepsItsDeliveries_AndDeliversThemAllAfterItResumes()
    {
        var site = await sites.SiteAsync();
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = (n, _) => Task.FromResult(n <= 2 ? 500 : 200);
        var work = await Repos.CreateAsync(site, "pause");
        var hook = await Hook.AddAsync(site, "pause", receiver.Url + "/pause");

        await Repos.CommitAsync(site, work, "a");
        await Repos.PushAsync(site, work, "pause", "main");
        var paused = await hook.WaitForServiceAsync(s => Hook.State(s) == "paused", TimeSpan.FromSeconds(60));
        Assert.Equal(2, paused.GetProperty("health").GetProperty("consecutive_failures").GetInt32());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, paused.GetProperty("health").GetProperty("paused_until").ValueKind);

        for (var i = 0; i < 2; i++)
        {
            await Repos.CommitAsync(site, work, $"during-pause-{i}");
            await Repos.PushAsync(site, work, "pause", "main");
        }

        // Paused: the two new deliveries wait (no request reaches the receiver) and are pending, not dropped.
        // The count is read before the state: still paused after it means paused when it was read.
        var received = receiver.Requests.Count;
        var view = await hook.ViewAsync();
        Assert.True(Hook.State(view) == "paused", $"the pushes during the pause took longer than the pause itself: {view}");
        Assert.Equal(2, received);
        var deliveries = await hook.DeliveriesAsync();
        Assert.Equal(3, deliveries.Count);
        Assert.All(deliveries, d => Assert.Equal("pending", d.GetProperty("status").GetString()));

        foreach (var d in deliveries)
        {
            await hook.WaitForDeliveryAsync(d.GetProperty("id").GetString()!, x => Hook.Status(x) == "succeeded", TimeSpan.FromSeconds(120));
        }

        var delivered = receiver.Requests.Skip(2).Select(r => r.Header("x-posthorn-delivery")).ToList();
        Assert.Equal(deliveries.Select(d => d.GetProperty("id").GetString()!).Order(), delivered.Order());
        Assert.Equal("healthy", Hook.State(await hook.ViewAsync()));
    }

    [Fact]
    public async Task Gone410_DisablesTheService_WhoseLaterDeliveriesWait_UntilEnableSendsThem()
    {
        var site = await sites.SiteAsync();
        await using var receiver = await Receiver.StartAsync();
        var gone = true;
        receiver.Respond = (_, _) => Task.FromResult(Volatile.Read(ref gone) ? 410 : 200);
        var work = await Repos.CreateAsync(site, "gone");
        var hook = await Hook.AddAsync(site, "gone", receiver.Url + "/gone");

        await Repos.CommitAsync(site, work, "a");
        await Repos.PushAsync(site, work, "gone", "main");
        var disabled = await hook.WaitForServiceAsync(s => Hook.State(s) == "disabled", TimeSpan.FromSeconds(60));
        Assert.Contains("410", disabled.GetProperty("health").GetProperty("disabled_reason").GetString(), StringComparison.Ordinal);
        Assert.Single(receiver.Requests); // gone is final: no retry
        var first = Assert.Single(await hook.DeliveriesAsync());
        Assert.Equal("failed", first.GetProperty("status").GetString());

        await Repos.CommitAsync(site, work, "b");
        await Repos.PushAsync(site, work, "gone", "main");
        var waiting = (await hook.DeliveriesAsync()).Single(d => d.GetProperty("id").GetString() != first.GetProperty("id").GetString());
        Assert.Equal("pending", waiting.GetProperty("status").GetString());

        Volatile.Write(ref gone, false);
        var enabled = await site.ApiJsonAsync(HttpMethod.Post, hook.Path + "/enable");
        Assert.NotEqual("disabled", Hook.State(enabled));
        var id = waiting.GetProperty("id").GetString()!;
        await hook.WaitForDeliveryAsync(id, x => Hook.Status(x) == "succeeded", TimeSpan.FromSeconds(60));
        Assert.Equal(2, receiver.Requests.Count); // the 410, then this one only once enabled: nothing went while disabled
        Assert.Equal(id, receiver.Requests[^1].Header("x-posthorn-delivery"));
        Assert.Equal("healthy", Hook.State(await hook.ViewAsync()));
    }

    // docs/post-service.md: "410 Gone disables the service", whether it answers a delivery or the Test button.
    [Fact]
    public async Task Gone410_AnsweredToTest_DisablesTheService()
    {
        var site = await sites.SiteAsync();
        await using var receiver = await Receiver.StartAsync();
        receiver.Respond = (_, _) => Task.FromResult(410);
        await Repos.CreateAsync(site, "gonetest");
        var hook = await Hook.AddAsync(site, "gonetest", receiver.Url + "/gone");

        var ping = await site.ApiJsonAsync(HttpMethod.Post, hook.Path + "/test");

        Assert.Equal("gone", ping.GetProperty("attempts")[0].GetProperty("outcome").GetString());
        var view = await hook.ViewAsync();
        Assert.Equal("disabled", Hook.State(view));
        Assert.Contains("410", view.GetProperty("health").GetProperty("disabled_reason").GetString(), StringComparison.Ordinal);
    }
}
