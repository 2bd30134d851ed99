using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Posthorn.Core.PullRequests;
using Posthorn.Core.Pushes;

namespace Posthorn.Git.PullRequests;

/// <summary>
/// Keeps open pull requests in step with every recorded push (received, recovered at start-up, or made
/// by Posthorn), under the push's receive lock:
/// <list type="bullet">
/// <item>the source branch moved: the pull request takes the new source commit, refs/pull/{id}/head
/// follows, and "updated" is announced;</item>
/// <item>the source tip, and the source commit the pull request showed before this push, became reachable
/// from the destination ("merged outside Posthorn": someone merged and pushed, or a merge by Posthorn
/// that crashed before it was stored): the pull request is marked merged, closed by the pusher, with the
/// source tip as merge commit, and "fulfilled" is announced. A source reset onto the destination's
/// history is only an update: what it showed was never merged.</item>
/// </list>
/// A merge by Posthorn in progress is skipped (<see cref="Merging"/>): that merge stores its own outcome.
/// Failures are logged and never fail the push. Thread-safe; register as a singleton.
/// </summary>
public sealed partial class PullRequestTracker(
    IPullRequestStore store, MergeEngine engine, PullRequestRef pullRef, IRefReader refs, PullRequestAnnouncing announcing,
    TimeProvider time, ILogger<PullRequestTracker> logger) : IRecordedPushObserver
{
    public const int MaxOpenPerPush = 1000;

    private readonly ConcurrentDictionary<(long RepositoryId, long Id), bool> merging = new();

    /// <summary>Marks a pull request as being merged by Posthorn until disposed, so its own push does not close it as "merged outside".</summary>
    public IDisposable Merging(long repositoryId, long id)
    {
        merging[(repositoryId, id)] = true;
        return new Unmark(() => merging.TryRemove((repositoryId, id), out _));
    }

    public async Task PushRecordedAsync(RefsMoved moved, RecordedPush recorded, CancellationToken ct)
    {
        try
        {
            var branches = moved.Updates.Select(u => u.RefName).Where(n => n.StartsWith(Branches.Prefix, StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
            if (branches.Count > 0)
            {
                await FollowAsync(moved, pr => branches.Contains(Branches.RefOf(pr.SourceBranch)) || branches.Contains(Branches.RefOf(pr.DestinationBranch)), ct).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            LogFailed(logger, e, recorded.Push.Id, moved.Repository.FullName);
        }
    }

    /// <summary>
    /// Every open pull request against the branches as they stand: one whose source moved, or whose
    /// source was merged, in a push recorded just before a crash is updated or closed now, with its
    /// event, named after whoever last moved that branch. Where nothing moved, nothing changes. One pull
    /// request's failure does not stop the others'; the failures are logged and thrown together.
    /// </summary>
    public async Task CatchUpAsync(RefsMoved current, IReadOnlyDictionary<string, string> movedBy, CancellationToken ct)
    {
        var open = await OpenAsync(current, _ => true, ct).ConfigureAwait(false);
        if (open.Count == 0)
        {
            return;
        }

        var tips = await refs.ReadAsync(current.Directory, ct).ConfigureAwait(false);
        List<Exception>? failures = null;
        foreach (var pullRequest in open)
        {
            try
            {
                await FollowAsync(current, pullRequest, tips, refName => movedBy.GetValueOrDefault(refName, current.Pusher), ct).ConfigureAwait(false);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                LogCatchUpFailed(logger, e, pullRequest.Id, current.Repository.FullName);
                (failures ??= []).Add(e);
            }
        }

        if (failures is not null)
        {
            throw new AggregateException(failures);
        }
    }

    /// <summary>The open pull requests <paramref name="concerned"/> selects, but those Posthorn is merging (none for Mercurial).</summary>
    private async Task<List<PullRequest>> OpenAsync(RefsMoved moved, Func<PullRequest, bool> concerned, CancellationToken ct)
    {
        if (moved.Repository.Scm != "git")
        {
            return [];
        }

        return (await store.ListPullRequestsAsync(moved.Repository.Id, PullRequestState.Open, MaxOpenPerPush, ct).ConfigureAwait(false))
            .Where(pr => concerned(pr) && !merging.ContainsKey((pr.RepositoryId, pr.Id)))
            .ToList();
    }

    private async Task FollowAsync(RefsMoved moved, Func<PullRequest, bool> concerned, CancellationToken ct)
    {
        var affected = await OpenAsync(moved, concerned, ct).ConfigureAwait(false);
        if (affected.Count == 0)
        {
            return;
        }

        var tips = await refs.ReadAsync(moved.Directory, ct).ConfigureAwait(false);
        foreach (var pullRequest in affected)
        {
            await FollowAsync(moved, pullRequest, tips, _ => moved.Pusher, ct).ConfigureAwait(false);
        }
    }

    /// <param name="actorOf">Who the event of a change names, by the branch whose move made it (the source's for "updated", the destination's for "fulfilled").</param>
    private async Task FollowAsync(RefsMoved moved, PullRequest pullRequest, IReadOnlyDictionary<string, string> tips, Func<string, string> actorOf, CancellationToken ct)
    {
        var current = pullRequest;
        if (!tips.TryGetValue(Branches.RefOf(pullRequest.SourceBranch), out var sourceTip))
        {
            // A deleted source branch leaves the pull request as it was; refs/pull/{id}/head keeps its commits.
            return;
        }

        if (sourceTip != pullRequest.SourceCommit)
        {
            // The ref first, then the change with its event: a receiver that fetches refs/pull/{id}/head
            // on "updated" finds the new commit. Under the push's receive lock nothing closes the pull
            // request in between; if something had, its ref would only point at its source's tip.
            await pullRef.SetAsync(moved.Directory, pullRequest.Id, sourceTip, ct).ConfigureAwait(false);
            var announce = await announcing.PrepareAsync(PullRequestEventKind.Updated, moved.Repository, actorOf(Branches.RefOf(pullRequest.SourceBranch)), pullRequest.DestinationCommit, sourceTip, ct).ConfigureAwait(false);
            var updated = await store.UpdateSourceAsync(pullRequest.RepositoryId, pullRequest.Id, sourceTip, time.GetUtcNow(), announce, ct).ConfigureAwait(false);
            if (updated is null)
            {
                return;
            }

            current = updated;
        }

        // Merged only when the commits the pull request was showing are in the destination too: a source
        // moved back onto commits the destination already had (reset, not merged) stays open, "updated".
        var destinationRef = Branches.RefOf(pullRequest.DestinationBranch);
        var shown = pullRequest.SourceCommit;
        if (!tips.TryGetValue(destinationRef, out var destinationTip)
            || !await engine.IsAncestorAsync(moved.Directory, sourceTip, destinationTip, ct).ConfigureAwait(false)
            || (shown != sourceTip && !await engine.IsAncestorAsync(moved.Directory, shown, destinationTip, ct).ConfigureAwait(false)))
        {
            return;
        }

        // Merged into: the destination as it was before this push, when this push moved it.
        var mergedInto = moved.Updates.FirstOrDefault(u => u.RefName == destinationRef && !u.IsCreate)?.OldId ?? destinationTip;
        var merger = actorOf(destinationRef);
        var fulfilled = await announcing.PrepareAsync(PullRequestEventKind.Fulfilled, moved.Repository, merger, mergedInto, sourceTip, ct).ConfigureAwait(false);
        var closed = await store.CloseAsync(
            new PullRequestClosing(current.RepositoryId, current.Id, PullRequestState.Merged, sourceTip, mergedInto, merger, time.GetUtcNow()), fulfilled, ct).ConfigureAwait(false);
        if (closed is not null)
        {
            LogMergedOutside(logger, moved.Repository.FullName, closed.Id, merger);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Following pull requests after push {PushId} to {Repository} failed; the push stands")]
    private static partial void LogFailed(ILogger logger, Exception exception, long pushId, string repository);

    [LoggerMessage(Level = LogLevel.Error, Message = "Catching up pull request #{Id} of {Repository} with its branches failed; tried again at the next reconciliation pass")]
    private static partial void LogCatchUpFailed(ILogger logger, Exception exception, long id, string repository);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pull request #{Id} of {Repository} was merged outside Posthorn (pusher '{Pusher}')")]
    private static partial void LogMergedOutside(ILogger logger, string repository, long id, string pusher);

    private sealed class Unmark(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
