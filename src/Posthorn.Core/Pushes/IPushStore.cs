namespace Posthorn.Core.Pushes;

public interface IPushStore
{
    /// <summary>
    /// Records the push, its ref updates, and one pending delivery (event "push", due now) for every
    /// active post service of the repository, all in one transaction: after this returns, the push
    /// is durable and will be delivered even if the process dies at once.
    /// </summary>
    Task<RecordedPush> RecordPushAsync(NewPush push, CancellationToken ct);

    /// <summary>Newest first. <paramref name="beforeId"/> pages: only pushes with a smaller id.</summary>
    Task<IReadOnlyList<Push>> ListPushesAsync(long repositoryId, int limit, long? beforeId, CancellationToken ct);

    Task<Push?> FindPushAsync(long repositoryId, long pushId, CancellationToken ct);

    Task<string?> GetPayloadAsync(long pushId, CancellationToken ct);
}
