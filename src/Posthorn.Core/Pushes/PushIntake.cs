using Posthorn.Core.Deliveries;
using Posthorn.Core.Payloads;
using Posthorn.Core.PullRequests;
using Posthorn.Core.Repositories;

namespace Posthorn.Core.Pushes;

/// <summary>
/// The one path by which moved refs become announced pushes, whatever moved them. The guarantee
/// "nothing lands in a repository without being announced" is kept here:
/// <list type="number">
/// <item><see cref="JournalAsync"/>: before git moves a ref, the move is journaled durably (the
/// reference-transaction hook calls it; if it fails or cannot be reached, git aborts the move).</item>
/// <item><see cref="RecordAsync"/>: the moved refs' payload is built while the refs before are still
/// known, then the push, its deliveries and the repository's new recorded refs are stored in one
/// transaction, and only then are dispatchers woken (persist first, then signal). Each service's
/// deliveries are composed from the push's facts in that transaction (<see cref="PushDeliveries"/>:
/// events, branch filters, formats).</item>
/// <item><see cref="ReconcileAsync"/>: the refs on disk are compared with the recorded ones and any
/// difference (a crash between 1 and 2, a push on the disk behind Posthorn's back) is recorded as a
/// recovered push. Run before every push and periodically. A merge made by Posthorn is journaled with
/// its pull request (<see cref="JournalMergeAsync"/>), and the recovered push closes it, with its
/// "fulfilled" event, in the push's transaction.</item>
/// </list>
/// Callers hold the repository's receive lock, so the refs cannot move between reading and recording.
/// Repositories of another version control system (Mercurial) read refs and build payloads through
/// their <see cref="ScmSupport"/>; everything else is the same path.
/// After recording, the <see cref="IRecordedPushObserver"/>s (pull requests following their branches)
/// are told; their failures are the observers' to log, never the push's to suffer.
/// </summary>
public sealed class PushIntake(
    IPushPayloadBuilder payloads, IPushStore pushes, IRefReader refs, IDeliveryWakeup wakeup, CanonUrl canonUrl, TimeProvider time,
    IEnumerable<ScmSupport> scms, IEnumerable<IRecordedPushObserver>? observers = null, IPullRequestAnnouncer? pullRequests = null)
{
    private readonly IRecordedPushObserver[] observers = observers?.ToArray() ?? [];

    /// <summary>The pusher of a recovered push nobody journaled.</summary>
    public const string UnknownPusher = "";

    public Task JournalAsync(Repository repository, string pusher, IReadOnlyList<RefUpdate> updates, CancellationToken ct) =>
        pushes.RecordRefIntentsAsync(repository.Id, pusher, updates, time.GetUtcNow(), ct);

    /// <summary>Journals the move of a merge of pull request <paramref name="pullRequestId"/> by <paramref name="merger"/>, before it is made.</summary>
    public Task JournalMergeAsync(Repository repository, string merger, RefUpdate update, long pullRequestId, CancellationToken ct) =>
        pushes.RecordRefIntentsAsync(repository.Id, merger, [update], pullRequestId, time.GetUtcNow(), ct);

    /// <summary>
    /// Builds the payload of <paramref name="moved"/> without recording anything: a caller that knows
    /// the moves before they are made (journaled, objects in place) can build it while git finishes,
    /// and hand it to <see cref="RecordAsync"/> if exactly those moves were made.
    /// </summary>
    public Task<BuiltPayload> BuildPayloadAsync(RefsMoved moved, CancellationToken ct) =>
        PayloadsOf(moved.Repository).BuildAsync(
            new PayloadRequest(moved.Repository, moved.Directory, moved.Pusher, moved.Updates, moved.TipsBefore, canonUrl.Value, moved.Recovered), ct);

    /// <param name="built">A payload built ahead by <see cref="BuildPayloadAsync"/> for these very moves; built again if it failed.</param>
    public async Task<RecordedPush?> RecordAsync(RefsMoved moved, CancellationToken ct, Task<BuiltPayload>? built = null)
    {
        if (moved.Updates.Count == 0)
        {
            return null;
        }

        var payload = built is null ? await BuildPayloadAsync(moved, ct) : await BuiltOrAgainAsync(built, moved, ct);
        var recorded = await pushes.RecordPushAsync(
            new NewPush(moved.Repository.Id, moved.Pusher, time.GetUtcNow(), moved.Updates, payload.CommitCount, payload.Json, moved.Recovered)
            {
                Composer = new PushDeliveries(payload, moved.Updates),
                Closes = moved.Closes,
                ClosingAnnouncement = moved.ClosingAnnouncement,
            }, ct);
        if (recorded.DeliveryIds.Count > 0)
        {
            wakeup.Notify();
        }

        await TellObserversAsync(moved, recorded).ConfigureAwait(false);
        return recorded;
    }

    private async Task<BuiltPayload> BuiltOrAgainAsync(Task<BuiltPayload> built, RefsMoved moved, CancellationToken ct)
    {
        try
        {
            return await built;
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            // Built ahead, it may have met the repository mid-change; now the moves are made, so try once more.
            return await BuildPayloadAsync(moved, ct);
        }
    }

    private async Task TellObserversAsync(RefsMoved moved, RecordedPush recorded)
    {
        foreach (var observer in observers)
        {
            try
            {
                // No caller token: the push is recorded, what follows from it should not be cut short by a client hanging up.
                await observer.PushRecordedAsync(moved, recorded, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Observers log their own failures (the domain has no logger); this catch only keeps
                // the push's guarantee if one lets an exception escape anyway.
            }
        }
    }

    /// <summary>Recent pushes read to find who last moved each ref: the crash this is for interrupted the newest.</summary>
    private const int CatchUpPushes = 50;

    /// <summary>
    /// Lets the observers catch up with the refs as they stand (<see cref="IRecordedPushObserver.CatchUpAsync"/>):
    /// a crash right after a push's transaction committed left it recorded and delivered, but never
    /// shown to them. Call it after start-up, under the receive lock, after <see cref="ReconcileAsync"/>.
    /// With no push recorded there is nothing to catch up.
    /// </summary>
    /// <exception cref="AggregateException">An observer could not finish (the others were still told); call it again later.</exception>
    public async Task CatchUpAsync(Repository repository, string directory, CancellationToken ct)
    {
        if (observers.Length == 0)
        {
            return;
        }

        var recent = await pushes.ListPushesAsync(repository.Id, CatchUpPushes, null, ct);
        if (recent.Count == 0)
        {
            return;
        }

        var newest = new Dictionary<string, (RefUpdate Update, string Pusher)>(StringComparer.Ordinal);
        foreach (var push in recent) // newest first
        {
            foreach (var update in push.RefUpdates)
            {
                newest.TryAdd(update.RefName, (update, push.Pusher));
            }
        }

        var current = new RefsMoved(repository, directory, recent[0].Pusher, [.. newest.Values.Select(m => m.Update)], []);
        var movedBy = newest.ToDictionary(m => m.Key, m => m.Value.Pusher, StringComparer.Ordinal);
        List<Exception>? failures = null;
        foreach (var observer in observers)
        {
            try
            {
                await observer.CatchUpAsync(current, movedBy, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                (failures ??= []).Add(e);
            }
        }

        if (failures is not null)
        {
            throw new AggregateException($"Catching up after the pushes to {repository.FullName} did not finish.", failures);
        }
    }

    /// <summary>
    /// Records whatever differs between the refs on disk and the recorded refs as one recovered
    /// push, named after the journaled pusher when the journal explains every difference.
    /// </summary>
    /// <returns>The refs on disk, now all recorded, and the recovered push if there was one.</returns>
    public async Task<(IReadOnlyDictionary<string, string> Refs, RecordedPush? Recovered)> ReconcileAsync(Repository repository, string directory, CancellationToken ct)
    {
        var reader = RefsOf(repository);
        var onDisk = await reader.ReadAsync(directory, ct);
        var recorded = await pushes.GetRecordedRefsAsync(repository.Id, ct);
        var updates = RefDiff.Between(recorded, onDisk);
        if (updates.Count == 0)
        {
            return (onDisk, null);
        }

        var intents = await pushes.ListRefIntentsAsync(repository.Id, ct);
        var tipsBefore = await reader.ExistingAsync(directory, CountedTips.Of(repository, recorded), ct);
        var moved = new RefsMoved(repository, directory, PusherOf(updates, intents), updates, tipsBefore, Recovered: true);
        return (onDisk, await RecordRecoveredAsync(moved, MergeOf(moved, intents), ct));
    }

    /// <summary>
    /// The recovered push, closing the pull request a journaled merge names. Should that close fail (its
    /// event cannot be composed, say), the push is recorded without it: refs on disk that cannot be
    /// recorded would refuse every later push to the repository, and the pull request is then left to
    /// the observers, as a merge found after a push.
    /// </summary>
    private async Task<RecordedPush?> RecordRecoveredAsync(RefsMoved moved, RefsMoved? merge, CancellationToken ct)
    {
        if (merge is not null)
        {
            try
            {
                return await RecordAsync(merge, ct);
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                // Recorded below without the close; a database that cannot write fails there too.
            }
        }

        return await RecordAsync(moved, ct);
    }

    /// <summary>
    /// A recovered move that a merge by Posthorn journaled (a crash after the move, before its record):
    /// the same moves, closing the pull request as the merge would have, with its event. Null when no
    /// merge explains one of the moves.
    /// </summary>
    private RefsMoved? MergeOf(RefsMoved moved, IReadOnlyList<RefIntent> intents)
    {
        var merge = intents.LastOrDefault(i => i.PullRequestId is not null && moved.Updates.Contains(i.Update));
        if (merge is not { PullRequestId: { } id })
        {
            return null;
        }

        var at = time.GetUtcNow();
        return moved with
        {
            Closes = new PullRequestClosing(moved.Repository.Id, id, PullRequestState.Merged, merge.Update.NewId, merge.Update.OldId, merge.Pusher, at),
            ClosingAnnouncement = pullRequests is null
                ? null
                : closed => pullRequests.Compose(new PullRequestEvent(PullRequestEventKind.Fulfilled, moved.Repository, closed, merge.Pusher, at)),
        };
    }

    /// <summary>Forgets journaled moves once reconciliation found nothing left to record.</summary>
    public async Task ForgetStaleIntentsAsync(Repository repository, CancellationToken ct)
    {
        if ((await pushes.ListRefIntentsAsync(repository.Id, ct)).Count > 0)
        {
            await pushes.ClearRefIntentsAsync(repository.Id, ct);
        }
    }

    private IRefReader RefsOf(Repository repository) => scms.FirstOrDefault(s => s.Scm == repository.Scm)?.Refs ?? refs;

    private IPushPayloadBuilder PayloadsOf(Repository repository) => scms.FirstOrDefault(s => s.Scm == repository.Scm)?.Payloads ?? payloads;

    public static string PusherOf(IReadOnlyList<RefUpdate> updates, IReadOnlyList<RefIntent> intents)
    {
        var pushers = updates
            .Select(u => intents.LastOrDefault(i => i.Update.RefName == u.RefName && i.Update.NewId == u.NewId)?.Pusher)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return pushers is [{ } only] ? only : UnknownPusher;
    }
}
