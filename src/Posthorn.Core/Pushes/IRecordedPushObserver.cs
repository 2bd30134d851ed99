namespace Posthorn.Core.Pushes;

/// <summary>
/// Told about every push <see cref="PushIntake"/> has recorded (received, recovered, or made by
/// Posthorn), still under the repository's receive lock, so what it reads of the refs is what the push
/// left. The push is already durable: an observer logs its own failures and must not throw (one that does never fails the push).
/// </summary>
public interface IRecordedPushObserver
{
    Task PushRecordedAsync(RefsMoved moved, RecordedPush recorded, CancellationToken ct);

    /// <summary>
    /// Called once per repository after each start-up, under its receive lock (<see cref="PushIntake.CatchUpAsync"/>):
    /// a push recorded just before a crash was never shown to the observers, and what they would have
    /// done for it is done now. <paramref name="current"/>'s updates are the newest recorded move of
    /// each ref among the repository's recent pushes (no new moves), <paramref name="movedBy"/> who made
    /// each. Must be idempotent: it also runs after a clean stop. Throws when it could not finish; it is
    /// then tried again at the next reconciliation pass.
    /// </summary>
    Task CatchUpAsync(RefsMoved current, IReadOnlyDictionary<string, string> movedBy, CancellationToken ct);
}
