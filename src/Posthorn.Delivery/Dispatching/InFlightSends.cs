using System.Collections.Concurrent;
using Posthorn.Core.Deliveries;

namespace Posthorn.Delivery.Dispatching;

/// <summary>
/// The sends a dispatcher has running, one per delivery: their number is what it compares with its
/// concurrency. A send is registered before it starts, never after: registered after, a send that
/// ended before the dispatcher's thread got its task back (a thread preempted between the two steps
/// on a busy machine) removed nothing and then stayed counted for good, one slot lost each time,
/// until the node stopped sending at all. Sends are told apart by their claim, not their delivery: a
/// node can claim a delivery again (its first lease ran out) while its first send is still counted,
/// and the first one's end must not uncount the second. Thread-safe.
/// </summary>
internal sealed class InFlightSends
{
    private readonly ConcurrentDictionary<ClaimedDelivery, Task> sends = new(ReferenceEqualityComparer.Instance);

    public int Count => sends.Count;

    public bool IsEmpty => sends.IsEmpty;

    /// <summary>Registers the send of <paramref name="claimed"/>, then starts it on the thread pool (it must call <see cref="Remove"/> when it ends).</summary>
    public void Start(ClaimedDelivery claimed, Func<Task> send)
    {
        var starting = new Task<Task>(send);
        sends[claimed] = starting.Unwrap();
        starting.Start(TaskScheduler.Default);
    }

    public void Remove(ClaimedDelivery claimed) => sends.TryRemove(claimed, out _);

    /// <summary>Completes when every send running now has ended.</summary>
    public Task WhenAllEnded() => Task.WhenAll(sends.Values);
}
