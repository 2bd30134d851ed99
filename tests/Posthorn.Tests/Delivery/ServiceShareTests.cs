using Posthorn.Core.Deliveries;

namespace Posthorn.Tests.Delivery;

public sealed class ServiceShareTests
{
    [Fact]
    public void Pick_KeepsOldestFirst_AndStopsEachServiceAtWhatIsLeftOfItsShare()
    {
        var share = new ServiceShare(2, new Dictionary<long, int> { [1] = 1 });
        (string, long)[] oldestFirst = [("a1", 1), ("b1", 2), ("a2", 1), ("b2", 2), ("b3", 2), ("c1", 3)];

        Assert.Equal(["a1", "b1", "b2", "c1"], share.Pick(oldestFirst, 10));
        Assert.Equal(["a1", "b1"], share.Pick(oldestFirst, 2));
    }

    [Fact]
    public void Full_ListsOnlyServicesWithNothingLeft()
    {
        var share = new ServiceShare(3, new Dictionary<long, int> { [1] = 3, [2] = 2, [3] = 5 });

        Assert.Equal([1L, 3L], share.Full.Order());
    }

    [Fact]
    public void Unlimited_PicksInOrderUpToMax()
    {
        (int, long)[] oldestFirst = [(1, 7), (2, 7), (3, 7)];

        Assert.Equal([1, 2], ServiceShare.Unlimited.Pick(oldestFirst, 2));
        Assert.Empty(ServiceShare.Unlimited.Full);
    }

    [Fact]
    public void With_CountsNewlyClaimedDeliveries_SoTheirServicesFillUp()
    {
        var share = new ServiceShare(2, new Dictionary<long, int> { [1] = 1 });

        var after = share.With([1, 2, 2]);

        Assert.Equal([1L, 2L], after.Full.Order());
        Assert.Equal(1, share.Remaining(1)); // the original is unchanged
        Assert.Same(ServiceShare.Unlimited, ServiceShare.Unlimited.With([1, 1, 1]));
    }
}
