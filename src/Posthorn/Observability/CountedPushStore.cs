using Posthorn.Core.Pushes;

namespace Posthorn.Observability;

/// <summary>The push store, counting each recorded push into posthorn_pushes_total; everything else passes through.</summary>
public sealed class CountedPushStore(IPushStore inner, PosthornMeter meter) : IPushStore
{
    public async Task<RecordedPush> RecordPushAsync(NewPush push, CancellationToken ct)
    {
        var recorded = await inner.RecordPushAsync(push, ct);
        meter.Pushes.Add(1);
        return recorded;
    }

    public Task<IReadOnlyDictionary<string, string>> GetRecordedRefsAsync(long repositoryId, CancellationToken ct) => inner.GetRecordedRefsAsync(repositoryId, ct);

    public Task RecordRefIntentsAsync(long repositoryId, string pusher, IReadOnlyList<RefUpdate> updates, long? pullRequestId, DateTimeOffset at, CancellationToken ct) =>
        inner.RecordRefIntentsAsync(repositoryId, pusher, updates, pullRequestId, at, ct);

    public Task<IReadOnlyList<RefIntent>> ListRefIntentsAsync(long repositoryId, CancellationToken ct) => inner.ListRefIntentsAsync(repositoryId, ct);

    public Task ClearRefIntentsAsync(long repositoryId, CancellationToken ct) => inner.ClearRefIntentsAsync(repositoryId, ct);

    public Task<IReadOnlyList<Push>> ListPushesAsync(long repositoryId, int limit, long? beforeId, CancellationToken ct) => inner.ListPushesAsync(repositoryId, limit, beforeId, ct);

    public Task<Push?> FindPushAsync(long repositoryId, long pushId, CancellationToken ct) => inner.FindPushAsync(repositoryId, pushId, ct);

    public Task<string?> GetPayloadAsync(long pushId, CancellationToken ct) => inner.GetPayloadAsync(pushId, ct);
}
