namespace Posthorn.Core.Deliveries;

/// <summary>
/// In-process wake-up for one node. Notifications coalesce: many pushes while the dispatcher is busy
/// wake it once, and it then drains everything due. Thread-safe.
/// </summary>
public sealed class LocalDeliveryWakeup : IDeliveryWakeup, IDisposable
{
    private readonly SemaphoreSlim signal = new(0, 1);

    public void Notify()
    {
        try
        {
            signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled; one pending wake-up is enough.
        }
    }

    public async Task WaitAsync(TimeSpan timeout, CancellationToken ct) => await signal.WaitAsync(timeout, ct).ConfigureAwait(false);

    public void Dispose() => signal.Dispose();
}
