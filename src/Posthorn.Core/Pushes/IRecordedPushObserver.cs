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
    /// Called once per repository at start-up, under its receive lock, with no moves: the refs as they
    /// stand, attributed to the repository's last recorded pusher (<see cref="PushIntake.CatchUpAsync"/>).
    /// A push recorded just before a crash was never shown to the observers; what they would have done
    /// for it is done now. Must be idempotent (it also runs after a clean stop) and must not throw.
    /// </summary>
    Task CatchUpAsync(RefsMoved current, CancellationToken ct);
}
