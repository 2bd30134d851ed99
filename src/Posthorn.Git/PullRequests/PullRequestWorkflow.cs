using Microsoft.Extensions.Logging;
using Posthorn.Core;
using Posthorn.Core.PullRequests;
using Posthorn.Core.Pushes;
using Posthorn.Core.Repositories;
using Posthorn.Git.Processes;
using Posthorn.Git.Refs;

namespace Posthorn.Git.PullRequests;

/// <summary>
/// Opening, merging and declining pull requests. Each runs under the repository's receive lock after
/// reconciling, like a push, so it sees the refs as announced and nothing moves underneath it.
/// A merge is a push made by Posthorn, kept to the same guarantee:
/// <list type="number">
/// <item>compute the merge commit (<see cref="MergeEngine"/>) against the destination's current tip;</item>
/// <item>journal the move under the merger's name, with the pull request (<see cref="PushIntake.JournalMergeAsync"/>);</item>
/// <item>compare-and-swap the destination with update-ref;</item>
/// <item>record the push (<see cref="PushIntake.RecordAsync"/>): payload and deliveries, pusher = the merger,
/// and in the same transaction the pull request stored as merged with its "fulfilled" event queued;
/// if that fails the destination is put back and the merge refused.</item>
/// </list>
/// Killed between 3 and 4, reconciliation at start-up records the move as a recovered push named after the
/// merger, and closes the pull request with it (both from the journal), whatever the strategy. Every
/// other change is stored with its event in one transaction too.
/// Thread-safe; register as a singleton.
/// </summary>
public sealed partial class PullRequestWorkflow(
    IPullRequestStore store, IRepositoryFolders folders, ReceiveLock receiveLock, PushIntake intake, MergeEngine engine, PullRequestRef pullRef,
    RefRestorer restorer, GitRunner runner, PullRequestTracker tracker, PullRequestAnnouncing announcing, TimeProvider time,
    ILogger<PullRequestWorkflow> logger)
{
    public async Task<PullRequest> OpenAsync(Repository repository, string author, PullRequestDraft draft, CancellationToken ct)
    {
        var (title, description, source, destination) = Validate(repository, draft);
        var directory = folders.PathOf(repository.Owner, repository.Slug);
        var held = await receiveLock.AcquireAsync(directory, ct).ConfigureAwait(false);
        PullRequest opened;
        await using (held.ConfigureAwait(false))
        {
            var (refs, _) = await intake.ReconcileAsync(repository, directory, ct).ConfigureAwait(false);
            var sourceTip = refs.GetValueOrDefault(Branches.RefOf(source)) ?? throw new ValidationException("source", $"There is no branch '{source}'.");
            var destinationTip = refs.GetValueOrDefault(Branches.RefOf(destination)) ?? throw new ValidationException("destination", $"There is no branch '{destination}'.");
            if (await engine.IsAncestorAsync(directory, sourceTip, destinationTip, ct).ConfigureAwait(false))
            {
                throw new ValidationException("source", $"'{source}' has no commits that '{destination}' lacks: there is nothing to merge.");
            }

            if (!await engine.ShareHistoryAsync(directory, sourceTip, destinationTip, ct).ConfigureAwait(false))
            {
                throw new ValidationException("source", $"'{source}' shares no history with '{destination}': git cannot merge unrelated histories.");
            }

            var created = await announcing.PrepareAsync(PullRequestEventKind.Created, repository, author, destinationTip, sourceTip, ct).ConfigureAwait(false);
            // refs/pull/{id}/head is set inside the creating transaction, before the event is queued:
            // a receiver that fetches it on "created" finds it, and a failure stores nothing.
            opened = await store.CreatePullRequestAsync(
                new NewPullRequest(repository.Id, title, description, author, source, sourceTip, destination, destinationTip), time.GetUtcNow(),
                stored => pullRef.SetAsync(directory, stored.Id, sourceTip, CancellationToken.None), created, ct).ConfigureAwait(false);
        }

        return opened;
    }

    /// <param name="expectedSource">
    /// The source commit the merger reviewed, when known: the merge is refused if the source branch has
    /// moved since, so that nobody merges commits they have not seen. Null merges the source as it stands.
    /// </param>
    /// <exception cref="ValidationException"><paramref name="expectedSource"/> is not a full commit id.</exception>
    /// <exception cref="NotFoundException">No such pull request.</exception>
    /// <exception cref="ConflictException">
    /// Not open, conflicts, a fast-forward that is not possible, a branch gone, unrelated histories, or a
    /// source no longer at <paramref name="expectedSource"/>.
    /// </exception>
    /// <exception cref="MergeNotRecordedException">The merge could not be recorded and was undone.</exception>
    public async Task<PullRequest> MergeAsync(Repository repository, long id, MergeStrategy strategy, MergeIdentity merger, string? expectedSource, CancellationToken ct)
    {
        if (expectedSource is not null && !RefName.IsObjectId(expectedSource))
        {
            throw new ValidationException("source_commit", "source_commit must be a full commit id (40 lowercase hexadecimal digits).");
        }

        var directory = folders.PathOf(repository.Owner, repository.Slug);
        var held = await receiveLock.AcquireAsync(directory, ct).ConfigureAwait(false);
        PullRequest merged;
        await using (held.ConfigureAwait(false))
        {
            var (refs, _) = await intake.ReconcileAsync(repository, directory, ct).ConfigureAwait(false);
            var pullRequest = await OpenOneAsync(repository, id, ct).ConfigureAwait(false);
            var destinationRef = Branches.RefOf(pullRequest.DestinationBranch);
            var destinationTip = refs.GetValueOrDefault(destinationRef)
                ?? throw new ConflictException($"The destination branch '{pullRequest.DestinationBranch}' no longer exists.");
            var sourceTip = refs.GetValueOrDefault(Branches.RefOf(pullRequest.SourceBranch))
                ?? throw new ConflictException($"The source branch '{pullRequest.SourceBranch}' no longer exists.");
            if (expectedSource is not null && expectedSource != sourceTip)
            {
                throw new ConflictException(
                    $"The source branch '{pullRequest.SourceBranch}' is now at {sourceTip}, not at the {expectedSource} you reviewed; look at its changes again before merging.");
            }

            if (!await engine.ShareHistoryAsync(directory, destinationTip, sourceTip, ct).ConfigureAwait(false))
            {
                throw new ConflictException($"'{pullRequest.SourceBranch}' shares no history with '{pullRequest.DestinationBranch}': git cannot merge unrelated histories.");
            }

            var outcome = await engine.MergeAsync(directory, destinationTip, sourceTip, strategy, MessageOf(pullRequest, strategy), merger, ct).ConfigureAwait(false);
            if (!outcome.CanFastForward)
            {
                throw new ConflictException(
                    $"'{pullRequest.DestinationBranch}' cannot be fast-forwarded to '{pullRequest.SourceBranch}': it has commits the source lacks. Merge with merge_commit or squash instead.");
            }

            if (outcome.Commit is null)
            {
                throw new ConflictException($"Merging '{pullRequest.SourceBranch}' into '{pullRequest.DestinationBranch}' conflicts in: {string.Join(", ", outcome.Conflicts)}.");
            }

            var update = new RefUpdate(destinationRef, destinationTip, outcome.Commit);
            var closing = new PullRequestClosing(repository.Id, pullRequest.Id, PullRequestState.Merged, outcome.Commit, destinationTip, merger.Username, time.GetUtcNow());
            var fulfilled = await announcing.PrepareAsync(PullRequestEventKind.Fulfilled, repository, merger.Username, destinationTip, sourceTip, ct).ConfigureAwait(false);
            RecordedPush recorded;
            using (tracker.Merging(repository.Id, pullRequest.Id))
            {
                recorded = await MoveAndRecordAsync(repository, directory, merger.Username, update, refs, closing, fulfilled, ct).ConfigureAwait(false);
            }

            merged = recorded.Closed ?? throw new ConflictException($"Pull request #{id} was closed while it was being merged.");
            LogMerged(logger, repository.FullName, id, strategy, merger.Username, outcome.Commit);
        }

        return merged;
    }

    public async Task<PullRequest> DeclineAsync(Repository repository, long id, string decliner, CancellationToken ct)
    {
        var directory = folders.PathOf(repository.Owner, repository.Slug);
        var held = await receiveLock.AcquireAsync(directory, ct).ConfigureAwait(false);
        PullRequest declined;
        await using (held.ConfigureAwait(false))
        {
            var pullRequest = await OpenOneAsync(repository, id, ct).ConfigureAwait(false);
            var rejected = await announcing.PrepareAsync(PullRequestEventKind.Rejected, repository, decliner, pullRequest.DestinationCommit, pullRequest.SourceCommit, ct).ConfigureAwait(false);
            declined = await store.CloseAsync(
                new PullRequestClosing(repository.Id, pullRequest.Id, PullRequestState.Declined, null, null, decliner, time.GetUtcNow()), rejected, ct).ConfigureAwait(false)
                ?? throw new ConflictException($"Pull request #{id} is no longer open.");
        }

        return declined;
    }

    private async Task<RecordedPush> MoveAndRecordAsync(
        Repository repository, string directory, string pusher, RefUpdate update, IReadOnlyDictionary<string, string> refsBefore,
        PullRequestClosing closing, PullRequestAnnouncement fulfilled, CancellationToken ct)
    {
        await intake.JournalMergeAsync(repository, pusher, update, closing.Id, ct).ConfigureAwait(false);
        // From here on no caller token: once the ref may have moved, recording (or undoing) must finish.
        // update-ref <ref> <new> <old> is a compare-and-swap: it fails if the ref is no longer <old>.
        var swap = await runner.RunAsync(
            new GitInvocation(["update-ref", "-m", "posthorn: merge pull request", update.RefName, update.NewId, update.OldId])
            {
                WorkingDirectory = directory,
                Environment = GitEnvironment.ForRepository(directory),
            },
            CancellationToken.None).ConfigureAwait(false);
        if (!swap.Succeeded)
        {
            throw new ConflictException("The destination branch moved while merging; try again.");
        }

        try
        {
            var moved = new RefsMoved(repository, directory, pusher, [update], CountedTips.Of(repository, refsBefore))
            {
                Closes = closing,
                ClosingAnnouncement = fulfilled,
            };
            return (await intake.RecordAsync(moved, CancellationToken.None).ConfigureAwait(false))!;
        }
        catch (Exception e)
        {
            LogRecordFailed(logger, e, repository.FullName, update.RefName);
            await restorer.RestoreAsync(directory, [update], CancellationToken.None).ConfigureAwait(false);
            throw new MergeNotRecordedException("The merge could not be recorded and has been undone; try again later.", e);
        }
    }

    private async Task<PullRequest> OpenOneAsync(Repository repository, long id, CancellationToken ct)
    {
        var pullRequest = await store.FindPullRequestAsync(repository.Id, id, ct).ConfigureAwait(false)
            ?? throw new NotFoundException($"Pull request #{id} not found.");
        return pullRequest.State == PullRequestState.Open
            ? pullRequest
            : throw new ConflictException($"Pull request #{id} is already {pullRequest.State.ToName().ToLowerInvariant()}.");
    }

    private static string MessageOf(PullRequest pullRequest, MergeStrategy strategy) => strategy == MergeStrategy.Squash
        ? $"{pullRequest.Title} (pull request #{pullRequest.Id})\n\n{pullRequest.Description}".TrimEnd()
        : $"Merge pull request #{pullRequest.Id}: {pullRequest.Title}\n\nMerge branch '{pullRequest.SourceBranch}' into '{pullRequest.DestinationBranch}'.";

    private static (string Title, string Description, string Source, string Destination) Validate(Repository repository, PullRequestDraft draft)
    {
        if (repository.Scm != "git")
        {
            throw new ValidationException("scm", "Pull requests need a git repository.");
        }

        var title = (draft.Title ?? "").Trim();
        if (title.Length is 0 or > PullRequestDraft.MaxTitleLength)
        {
            throw new ValidationException("title", $"A title of 1 to {PullRequestDraft.MaxTitleLength} characters is required.");
        }

        // Control characters (a terminal escape, say) would reach every terminal that lists pull requests.
        if (title.Any(char.IsControl))
        {
            throw new ValidationException("title", "The title may not contain control characters.");
        }

        var description = (draft.Description ?? "").Trim();
        if (description.Length > PullRequestDraft.MaxDescriptionLength)
        {
            throw new ValidationException("description", $"The description is longer than {PullRequestDraft.MaxDescriptionLength} characters.");
        }

        if (description.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            throw new ValidationException("description", "The description may not contain control characters other than line breaks and tabs.");
        }

        var source = BranchName(draft.Source, "source");
        var destination = BranchName(draft.Destination, "destination");
        return source == destination
            ? throw new ValidationException("destination", "The source and destination must be different branches.")
            : (title, description, source, destination);
    }

    private static string BranchName(string? value, string field)
    {
        var name = (value ?? "").Trim();
        if (name.StartsWith(Branches.Prefix, StringComparison.Ordinal))
        {
            name = name[Branches.Prefix.Length..];
        }

        // Enough of git-check-ref-format(1) to keep names out of command lines and ref paths; the branch must exist anyway.
        return name.Length is 0 or > 250 || name.StartsWith('-') || name.Contains("..", StringComparison.Ordinal)
            || name.Any(c => char.IsControl(c) || c is ' ' or '~' or '^' or ':' or '?' or '*' or '[' or '\\')
            ? throw new ValidationException(field, $"Give the {field} branch by name, e.g. 'main'.")
            : name;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Merged pull request #{Id} of {Repository} ({Strategy}) by {Merger}: {Commit}")]
    private static partial void LogMerged(ILogger logger, string repository, long id, MergeStrategy strategy, string merger, string commit);

    [LoggerMessage(Level = LogLevel.Error, Message = "Recording the merge into {Ref} of {Repository} failed; putting the ref back")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, string repository, string @ref);
}
