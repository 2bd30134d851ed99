using Posthorn.Delivery.Dispatching;
using Posthorn.Tests.Delivery.Support;

namespace Posthorn.Tests.Delivery;

/// <summary>
/// The dispatcher's count of running sends, which decides when it claims more: a send must stop
/// counting when it ends, however early it ends. A send that ended before it was registered stayed
/// counted for good, and a node that lost enough slots that way stopped sending altogether.
/// </summary>
public sealed class InFlightSendsTests
{
    [Fact]
    public async Task SendsThatEndBeforeStartReturns_AreNotLeftCounted()
    {
        var sends = new InFlightSends();
        var ids = Enumerable.Range(0, 1_000).Select(_ => Deliveries.Claimed("http://127.0.0.1:9/")).ToList();

        // Each send ends at once, on whatever thread runs it: the earliest moment it can remove itself.
        foreach (var id in ids)
        {
            sends.Start(id, () =>
            {
                sends.Remove(id);
                return Task.CompletedTask;
            });
        }

        await sends.WhenAllEnded();
        Assert.Equal(0, sends.Count);
        Assert.True(sends.IsEmpty);
    }

    [Fact]
    public async Task ARunningSend_IsCountedUntilItEnds()
    {
        var sends = new InFlightSends();
        var id = Deliveries.Claimed("http://127.0.0.1:9/");
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        sends.Start(id, async () =>
        {
            await release.Task;
            sends.Remove(id);
        });

        Assert.Equal(1, sends.Count);
        var ended = sends.WhenAllEnded();
        Assert.False(ended.IsCompleted);
        release.SetResult();
        await ended;
        Assert.Equal(0, sends.Count);
    }

    // Found by review: sends were told apart by delivery, so a delivery claimed again while its first
    // send was still counted (its first lease ran out) replaced that send, and the first one's end
    // uncounted the second, still running: the node then ran more sends than its concurrency.
    [Fact]
    public async Task TwoClaimsOfOneDelivery_AreCountedApart()
    {
        var sends = new InFlightSends();
        var first = Deliveries.Claimed("http://127.0.0.1:9/");
        var second = first with { LeaseUntil = DateTimeOffset.UtcNow };
        var endFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var endSecond = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        sends.Start(first, async () =>
        {
            await endFirst.Task;
            sends.Remove(first);
        });
        sends.Start(second, async () =>
        {
            await endSecond.Task;
            sends.Remove(second);
        });
        Assert.Equal(2, sends.Count);

        endFirst.SetResult();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (sends.Count == 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.Equal(1, sends.Count);
        var ended = sends.WhenAllEnded();
        Assert.False(ended.IsCompleted);
        endSecond.SetResult();
        await ended.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, sends.Count);
    }
}
