namespace Posthorn.Core.Pushes;

/// <summary>
/// Told about every push <see cref="PushIntake"/> has recorded (received, recovered, or made by
/// Posthorn), still under the repository's receive lock, so what it reads of the refs is what the push
/// left. The push is already durable: an observer logs its own failures and must not throw (one that does never fails the push).
/// </summary>
public interface IRecordedPushObserver
{
    Task PushRecordedAsync(RefsMoved moved, RecordedPush recorded, CancellationToken ct);
}
