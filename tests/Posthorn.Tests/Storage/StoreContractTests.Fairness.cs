using Posthorn.Core.Deliveries;

namespace Posthorn.Tests.Storage;

/// <summary>A claim shares a node's slots across owners, not only across services.</summary>
public abstract partial class StoreContractTests
{
    // Regression: 80 services of one user at a hanging receiver delayed another user's delivery 12 s.
    [Fact]
    public async Task ClaimDue_OwnerAtItsShare_IsSkipped_SoAnotherOwnersNewerDeliveryIsClaimed()
    {
        var mallory = await AccountAsync("mallory");
        var ids = new List<long>();
        for (var r = 0; r < 4; r++)
        {
            var repository = await RepositoryAsync("hang" + r, mallory);
            for (var s = 0; s < 20; s++)
            {
                var service = await ServiceAsync(repository.Id, url: "https://hang.example.com/" + s);
                ids.Add(service.Id);
                await Deliveries.EnqueueAsync(service.Id, DeliveryEvents.Push, "{}", T0.AddMilliseconds((r * 20) + s), Ct);
            }
        }

        var bob = await AccountAsync("bob");
        var other = await ServiceAsync((await RepositoryAsync("tool", bob)).Id, url: "https://ci.example.com/hook");
        var newest = await Deliveries.EnqueueAsync(other.Id, DeliveryEvents.Push, "{}", T0.AddMinutes(1), Ct);

        // Mallory already has her owner share (16) in flight on this node, spread over her services.
        var inFlight = ids.Take(16).ToDictionary(id => id, _ => 1);
        var share = new ServiceShare(4, inFlight, 16, new Dictionary<long, int> { [mallory.Id] = 16 });
        var claimed = await Deliveries.ClaimDueAsync("node-a", T0.AddMinutes(2), Lease, 8, share, Ct);

        Assert.Equal(newest.Id, Assert.Single(claimed).Delivery.Id);
        Assert.Equal(bob.Id, claimed[0].OwnerId);
    }

    [Fact]
    public async Task ClaimDue_TwoOwners_EachCappedAtTheOwnerShare_OldestFirstWithinIt()
    {
        var ann = await AccountAsync("ann");
        var bob = await AccountAsync("bob");
        var annRepo = await RepositoryAsync("a", ann);
        var bobRepo = await RepositoryAsync("b", bob);
        for (var s = 0; s < 10; s++)
        {
            var service = await ServiceAsync(annRepo.Id, url: "https://a.example.com/" + s);
            await Deliveries.EnqueueAsync(service.Id, DeliveryEvents.Push, "{}", T0.AddSeconds(s), Ct);
        }

        var bobs = await ServiceAsync(bobRepo.Id);
        for (var i = 0; i < 3; i++)
        {
            await Deliveries.EnqueueAsync(bobs.Id, DeliveryEvents.Push, "{}", T0.AddMinutes(1 + i), Ct);
        }

        var share = new ServiceShare(4, new Dictionary<long, int>(), 3, new Dictionary<long, int>());
        var claimed = await Deliveries.ClaimDueAsync("node-a", T0.AddMinutes(10), Lease, 20, share, Ct);

        Assert.Equal(3, claimed.Count(c => c.OwnerId == ann.Id));
        Assert.Equal(3, claimed.Count(c => c.OwnerId == bob.Id));
        Assert.Equal([T0, T0.AddSeconds(1), T0.AddSeconds(2)], claimed.Where(c => c.OwnerId == ann.Id).Select(c => c.Delivery.CreatedAt));
    }
}
