using System.Collections.Concurrent;

namespace Posthorn.Delivery.Dispatching;

/// <summary>
/// The sends a dispatcher has running, one per delivery: their number is what it compares with its
/// concurrency. A send is registered before it starts, never after: registered after, a send that
/// ended before the dispatcher's thread got its task back (a thread preempted between the two steps
/// on a busy machine) removed nothing and then stayed counted for good, one slot lost each time,
/// until the node stopped sending at all. Thread-safe.
/// </summary>
internal sealed class InFlightSends
{
    private readonly ConcurrentDictionary<Guid, Task> sends = new();

    public int Count => sends.Count;

    public bool IsEmpty => sends.IsEmpty;

    /// <summary>Registers the send of <paramref name="deliveryId"/>, then starts it on the thread pool (it must call <see cref="Remove"/> when it ends).</summary>
    public void Start(Guid deliveryId, Func<Task> send)
    {
        var starting = new Task<Task>(send);
        sends[deliveryId] = starting.Unwrap();
        starting.Start(TaskScheduler.Default);
    }

    public void Remove(Guid deliveryId) => sends.TryRemove(deliveryId, out _);

    /// <summary>Completes when every send running now has ended.</summary>
    public Task WhenAllEnded() => Task.WhenAll(sends.Values);
}
