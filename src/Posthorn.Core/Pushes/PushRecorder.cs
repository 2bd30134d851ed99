using Posthorn.Core.Deliveries;
using Posthorn.Core.Payloads;
using Posthorn.Core.Repositories;

namespace Posthorn.Core.Pushes;

/// <summary>
/// Turns ref updates git has just applied into a durable push: the payload is built while the refs
/// before the push are still known, then the push and its deliveries are stored in one transaction,
/// and only then are dispatchers woken (persist first, then signal).
/// </summary>
public sealed class PushRecorder(IPushPayloadBuilder payloads, IPushStore pushes, IDeliveryWakeup wakeup, TimeProvider time)
{
    public async Task<RecordedPush?> RecordAsync(
        Repository repository,
        string gitDirectory,
        string pusher,
        string canonUrl,
        IReadOnlyList<RefUpdate> refUpdates,
        IReadOnlyCollection<string> tipsBeforePush,
        CancellationToken ct)
    {
        if (refUpdates.Count == 0)
        {
            return null;
        }

        var payload = await payloads.BuildAsync(new PayloadRequest(repository, gitDirectory, pusher, refUpdates, tipsBeforePush, canonUrl), ct);
        var recorded = await pushes.RecordPushAsync(
            new NewPush(repository.Id, pusher, time.GetUtcNow(), refUpdates, payload.CommitCount, payload.Json), ct);
        if (recorded.DeliveryIds.Count > 0)
        {
            wakeup.Notify();
        }

        return recorded;
    }
}
