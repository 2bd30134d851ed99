namespace Posthorn.Core.Deliveries;

/// <summary>
/// A hint that deliveries may be due, so dispatchers wake at once instead of polling. Carries no
/// data: the store is the truth, a lost hint only delays until the next scheduled look.
/// With PostgreSQL it also reaches the other nodes.
/// </summary>
public interface IDeliveryWakeup
{
    void Notify();

    /// <summary>Completes when notified (by this node or another) or after <paramref name="timeout"/>.</summary>
    Task WaitAsync(TimeSpan timeout, CancellationToken ct);
}
