namespace Posthorn.Core.Pushes;

public interface IPushStore
{
    /// <summary>
    /// Records the push, its ref updates, and one pending delivery (event "push", due now) for every
    /// active post service of the repository, all in one transaction: after this returns, the push
    /// is durable and will be delivered even if the process dies at once. The same transaction moves
    /// the repository's recorded refs (<see cref="GetRecordedRefsAsync"/>) and clears its ref intents.
    /// </summary>
    Task<RecordedPush> RecordPushAsync(NewPush push, CancellationToken ct);

    /// <summary>The repository's refs (name → object id) as of its last recorded push.</summary>
    Task<IReadOnlyDictionary<string, string>> GetRecordedRefsAsync(long repositoryId, CancellationToken ct);

    /// <summary>Journals ref moves git is about to make; durable when this returns.</summary>
    Task RecordRefIntentsAsync(long repositoryId, string pusher, IReadOnlyList<RefUpdate> updates, DateTimeOffset at, CancellationToken ct) =>
        RecordRefIntentsAsync(repositoryId, pusher, updates, null, at, ct);

    /// <summary>As <see cref="RecordRefIntentsAsync(long, string, IReadOnlyList{RefUpdate}, DateTimeOffset, CancellationToken)"/>, for the merge of pull request <paramref name="pullRequestId"/> (null: not a merge).</summary>
    Task RecordRefIntentsAsync(long repositoryId, string pusher, IReadOnlyList<RefUpdate> updates, long? pullRequestId, DateTimeOffset at, CancellationToken ct);

    /// <summary>The repository's journaled ref moves not yet replaced by a recorded push, oldest first.</summary>
    Task<IReadOnlyList<RefIntent>> ListRefIntentsAsync(long repositoryId, CancellationToken ct);

    /// <summary>Forgets the repository's journaled ref moves (once the refs on disk have been compared with the record).</summary>
    Task ClearRefIntentsAsync(long repositoryId, CancellationToken ct);

    /// <summary>Newest first. <paramref name="beforeId"/> pages: only pushes with a smaller id.</summary>
    Task<IReadOnlyList<Push>> ListPushesAsync(long repositoryId, int limit, long? beforeId, CancellationToken ct);

    Task<Push?> FindPushAsync(long repositoryId, long pushId, CancellationToken ct);

    Task<string?> GetPayloadAsync(long pushId, CancellationToken ct);
}
