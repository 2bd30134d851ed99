using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Posthorn.Core.Accounts;
using Posthorn.Core.Payloads;
using Posthorn.Git.Processes;

namespace Posthorn.Git.Commits;

/// <summary>
/// Builds the push payload from the repository, right after receive-pack applied the push.
/// A commit is new when no tip from before the push reaches it. Branches are processed in the
/// attribution order (<see cref="Attribution"/>); each new commit is listed once, under the first
/// branch that makes it reachable. Tag pushes and deletions list no commits of their own (a tag's commits either were
/// already reachable or are listed under a branch); they appear in <c>ref_changes</c> only.
/// When more than MaxCommits are new, the newest are listed, earlier branches first; the document is
/// then cut to MaxBytes (oldest commits first). Memory is bounded by the caps, not by the push: git
/// streams, messages are cut as they stream, and only commits that can still fit are kept.
/// </summary>
public sealed partial class PushPayloadBuilder(GitRunner runner, IAccountStore accounts, IOptions<PayloadOptions> options, ILogger<PushPayloadBuilder> logger)
    : IPushPayloadBuilder
{
    public async Task<BuiltPayload> BuildAsync(PayloadRequest request, CancellationToken ct)
    {
        var limits = options.Value;
        var log = new CommitLog(runner, request.GitDirectory);
        var excluded = new List<string>(request.TipsBeforePush);
        var listed = new List<(string Branch, LoggedCommit Commit)>();
        var fastForwards = new HashSet<string>(StringComparer.Ordinal);
        var total = 0;
        var budget = limits.MaxCommits;
        var head = Refs.DefaultBranch.Read(request.GitDirectory);
        var defaultBranch = head is not null && head.StartsWith("refs/heads/", StringComparison.Ordinal) ? head["refs/heads/".Length..] : null;
        foreach (var update in Attribution.Order(request.RefUpdates, defaultBranch))
        {
            var listing = budget > 0
                ? await log.ListAsync(update.NewId, update.OldId, excluded, new CommitCaps(budget, limits.MaxFilesPerCommit, limits.MaxMessageBytes, limits.MaxBytes), ct).ConfigureAwait(false)
                : new CommitListing([], 0, false);

            // Each git process costs milliseconds: count separately only when the list hit its budget.
            total += listing.Listed < budget ? listing.Listed : await log.CountAsync(update.NewId, excluded, ct).ConfigureAwait(false);
            budget -= listing.Listed;
            listed.AddRange(listing.Commits.Select(c => (update.ShortName, c)));
            DropUnfittable(listed, limits.MaxBytes);

            // A new commit whose parent is the old tip proves the move was a fast-forward.
            if (listing.ExtendsOldTip)
            {
                fastForwards.Add(update.RefName);
            }

            // Later branches must not list this branch's commits again.
            excluded.Add(update.NewId);
        }

        var usernames = await FindUsernamesAsync(listed.SelectMany(l => new[] { l.Commit.AuthorEmail, l.Commit.CommitterEmail }), ct).ConfigureAwait(false);
        var refChanges = await new RefChanges(runner, request.GitDirectory).DescribeAsync(request.RefUpdates, fastForwards, ct).ConfigureAwait(false);
        var payload = new PushPayload(
            request.Repository,
            request.CanonUrl,
            request.Pusher,
            listed.Select(l => ToPayloadCommit(l.Branch, l.Commit, usernames)).ToList(),
            refChanges,
            total,
            limits.MaxCommits,
            request.Recovered)
        {
            DefaultBranch = defaultBranch,
            PusherEmail = request.Pusher.Length == 0 ? null : (await accounts.FindAccountAsync(request.Pusher, ct).ConfigureAwait(false))?.Email,
            MaxBytes = limits.MaxBytes,
        };
        var written = PushPayloadWriter.Write(payload, limits.MaxBytes);
        if (written.CommitsListed < total || written.RefChangesListed < refChanges.Count)
        {
            LogTruncated(logger, request.Repository.FullName, total, written.CommitsListed, refChanges.Count, written.RefChangesListed);
        }

        if (written.WireBytes > limits.MaxBytes)
        {
            LogEnvelopeTooLarge(logger, request.Repository.FullName, written.WireBytes, limits.MaxBytes);
        }

        return new BuiltPayload(written.Json, total) { Facts = payload };
    }

    /// <summary>Drops the oldest listed commits while the newer ones' text alone fills the document's cap.</summary>
    private static void DropUnfittable(List<(string Branch, LoggedCommit Commit)> listed, long maxBytes)
    {
        var text = listed.Sum(l => l.Commit.TextBytes);
        var drop = 0;
        while (drop < listed.Count - 1 && text - listed[drop].Commit.TextBytes >= maxBytes)
        {
            text -= listed[drop].Commit.TextBytes;
            drop++;
        }

        listed.RemoveRange(0, drop);
    }

    private async Task<Dictionary<string, string>> FindUsernamesAsync(IEnumerable<string> emails, CancellationToken ct)
    {
        var distinct = emails.Where(e => e.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var found = distinct.Count == 0
            ? new Dictionary<string, string>()
            : await accounts.FindUsernamesByEmailAsync(distinct, ct).ConfigureAwait(false);

        // The store compares e-mails case-insensitively; its keys may be spelled either way.
        return new Dictionary<string, string>(found, StringComparer.OrdinalIgnoreCase);
    }

    private static PayloadCommit ToPayloadCommit(string branch, LoggedCommit commit, Dictionary<string, string> usernames) =>
        new(
            commit.Hash,
            commit.Parents,
            usernames.GetValueOrDefault(commit.AuthorEmail) ?? commit.AuthorName,
            $"{commit.AuthorName} <{commit.AuthorEmail}>",
            branch,
            commit.Message,
            commit.MessageTruncated,
            commit.AuthorDate,
            commit.Files,
            commit.FileCount)
        {
            AuthorName = commit.AuthorName,
            AuthorEmail = commit.AuthorEmail,
            AuthorUsername = usernames.GetValueOrDefault(commit.AuthorEmail),
            TreeId = commit.TreeId,
            CommitterName = commit.CommitterName,
            CommitterEmail = commit.CommitterEmail,
            CommitterUsername = usernames.GetValueOrDefault(commit.CommitterEmail),
            CommitterDate = commit.CommitterDate,
        };

    [LoggerMessage(Level = LogLevel.Information, Message = "Push payload for {Repository} lists {Listed} of {Total} new commits and {RefsListed} of {Refs} ref changes")]
    private static partial void LogTruncated(ILogger logger, string repository, int total, int listed, int refs, int refsListed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Push payload for {Repository} takes {Bytes} bytes with no commits or ref changes listed, over Payload:MaxBytes {MaxBytes}")]
    private static partial void LogEnvelopeTooLarge(ILogger logger, string repository, long bytes, int maxBytes);
}
