using Microsoft.AspNetCore.Http;
using Posthorn.Core.PostServices;
using Posthorn.Core.Repositories;
using Posthorn.Tests.Delivery.Support;

namespace Posthorn.Tests.Delivery;

/// <summary>A hanging receiver costs its own owner's share of the node's slots, nobody else's.</summary>
public sealed class OwnerFairnessTests
{
    // Regression: 80 services of one user at a hanging receiver held every slot and delayed another
    // user's unrelated delivery from 0 s to 12 s (until the hanging attempts timed out).
    [Fact]
    public async Task Dispatch_OneOwnersEightyServicesHang_AnotherOwnersDeliveryIsSentWhileTheyHoldOnlyTheOwnerShare()
    {
        await using var harness = await DispatchHarness.StartAsync();
        var current = 0;
        await using var hanging = await LoopbackReceiver.StartAsync(async c =>
        {
            Interlocked.Increment(ref current);
            await Task.Delay(Timeout.Infinite, c.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        var hangingAtDelivery = -1;
        await using var healthy = await LoopbackReceiver.StartAsync(c =>
        {
            Interlocked.CompareExchange(ref hangingAtDelivery, Volatile.Read(ref current), -1);
            return Task.CompletedTask;
        });
        var now = DateTimeOffset.UtcNow;
        var mallory = await harness.Storage.Accounts.CreateAccountAsync("mallory", "mallory@example.com", "hash", false, now, CancellationToken.None);
        for (var r = 0; r < 4; r++)
        {
            var repository = await harness.Storage.Repositories.CreateRepositoryAsync(new NewRepository(mallory.Id, "hang" + r, "Hang", false, ""), now, CancellationToken.None);
            for (var s = 0; s < 20; s++)
            {
                var service = await harness.Storage.PostServices.CreateServiceAsync(repository.Id, new PostServiceSettings(new Uri(hanging.Url, $"{r}/{s}").ToString(), PayloadFormat.Json, true, []), now, CancellationToken.None);
                await harness.Storage.Deliveries.EnqueueAsync(service.Id, "push", "{}", now, CancellationToken.None);
            }
        }

        var bob = await harness.Storage.Accounts.CreateAccountAsync("bob", "bob@example.com", "hash", false, now, CancellationToken.None);
        var tool = await harness.Storage.Repositories.CreateRepositoryAsync(new NewRepository(bob.Id, "tool", "Tool", false, ""), now, CancellationToken.None);
        var bobs = await harness.Storage.PostServices.CreateServiceAsync(tool.Id, new PostServiceSettings(healthy.Url.ToString(), PayloadFormat.Json, true, []), now, CancellationToken.None);
        await harness.Storage.Deliveries.EnqueueAsync(bobs.Id, "push", "{}", now.AddSeconds(1), CancellationToken.None); // the newest of all

        await harness.StartDispatcherAsync("node-a", new()
        {
            ["Delivery:AttemptTimeout"] = "00:05:00", // the hanging attempts never end during the test
            ["Delivery:Lease"] = "00:10:00",
            ["Delivery:MaxConcurrency"] = "64",
            ["Delivery:MaxInFlightPerOwner"] = "16",
        });

        await DispatchHarness.EventuallyAsync(() => Task.FromResult(!healthy.Requests.IsEmpty), TimeSpan.FromSeconds(60), "bob's delivery");
        Assert.InRange(Volatile.Read(ref hangingAtDelivery), 0, 16); // mallory held at most her share when bob's went
        await DispatchHarness.EventuallyAsync(() => Task.FromResult(Volatile.Read(ref current) == 16), TimeSpan.FromSeconds(60), "mallory's share to fill");
        Assert.Equal(16, hanging.Requests.Count); // and never more, though 80 are due and 47 slots are free
    }
}
