using Posthorn.Delivery.Dispatching;

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
        var ids = Enumerable.Range(0, 1_000).Select(_ => Guid.NewGuid()).ToList();

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
        var id = Guid.NewGuid();
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
}
