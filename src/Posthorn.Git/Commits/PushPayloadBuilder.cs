using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Posthorn.Core.Accounts;
using Posthorn.Core.Payloads;
using Posthorn.Git.Processes;

namespace Posthorn.Git.Commits;

/// <summary>
/// Builds the push payload from the repository, right after receive-pack applied the push.
/// A commit is new when no tip from before the push reaches it. Branches are processed in the
/// order of the ref updates; each new commit is listed once, under the first branch that made it
/// reachable. Tag pushes and deletions list no commits of their own (a tag's commits either were
/// already reachable or are listed under a branch); they appear in <c>ref_changes</c> only.
/// When more than MaxCommits are new, the newest are listed, earlier branches first.
/// Memory is bounded by the caps, not by the push: git streams, only listed commits are kept.
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
        foreach (var update in request.RefUpdates.Where(u => u.IsBranch && !u.IsDelete))
        {
            var budget = limits.MaxCommits - listed.Count;
            var commits = budget > 0
                ? await log.ListAsync(update.NewId, excluded, budget, limits.MaxFilesPerCommit, ct).ConfigureAwait(false)
                : [];

            // Each git process costs milliseconds: count separately only when the list hit its budget.
            total += commits.Count < budget ? commits.Count : await log.CountAsync(update.NewId, excluded, ct).ConfigureAwait(false);
            listed.AddRange(commits.Select(c => (update.ShortName, c)));

            // A new commit whose parent is the old tip proves the move was a fast-forward.
            if (commits.Any(c => c.Parents.Contains(update.OldId, StringComparer.Ordinal)))
            {
                fastForwards.Add(update.RefName);
            }

            // Later branches must not list this branch's commits again.
            excluded.Add(update.NewId);
        }

        var usernames = await FindUsernamesAsync(listed.Select(l => l.Commit.AuthorEmail), ct).ConfigureAwait(false);
        var refChanges = await new RefChanges(runner, request.GitDirectory).DescribeAsync(request.RefUpdates, fastForwards, ct).ConfigureAwait(false);
        var payload = new PushPayload(
            request.Repository,
            request.CanonUrl,
            request.Pusher,
            listed.Select(l => ToPayloadCommit(l.Branch, l.Commit, usernames)).ToList(),
            refChanges,
            total,
            limits.MaxCommits,
            request.Recovered);
        if (payload.Truncated)
        {
            LogTruncated(logger, request.Repository.FullName, total, listed.Count);
        }

        return new BuiltPayload(PushPayloadWriter.Write(payload), total);
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
            commit.AuthorDate,
            commit.Files,
            commit.FileCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Push payload for {Repository} lists {Listed} of {Total} new commits")]
    private static partial void LogTruncated(ILogger logger, string repository, int total, int listed);
}
