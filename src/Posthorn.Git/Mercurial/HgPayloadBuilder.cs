using System.Text;
using Microsoft.Extensions.Options;
using Posthorn.Core.Accounts;
using Posthorn.Core.Payloads;
using Posthorn.Core.Pushes;
using Posthorn.Git.Processes;

namespace Posthorn.Git.Mercurial;

/// <summary>
/// Builds the payload of a push to a Mercurial repository in the seed's Mercurial shape: per
/// changeset its revision number, 12-hex node, 40-hex raw_node, named branch, parents (none for a
/// root, two for a merge), files against the first parent and the description as hg stores it.
/// <c>commits</c> are the changesets the push added, oldest first; bookmarks and tags appear in
/// <c>ref_changes</c> (type "bookmark" / "tag"). The caps are git's: the newest MaxCommits are listed,
/// files and messages are cut, and the writer keeps the document within MaxBytes.
/// </summary>
public sealed class HgPayloadBuilder(GitRunner runner, IAccountStore accounts, IOptions<PayloadOptions> payloadOptions, IOptions<MercurialOptions> options)
    : IPushPayloadBuilder
{
    public async Task<BuiltPayload> BuildAsync(PayloadRequest request, CancellationToken ct)
    {
        var limits = payloadOptions.Value;
        var moves = request.RefUpdates.Where(u => !u.IsCreate && !u.IsDelete).Select(u => (u.OldId, u.NewId));
        var facts = HgReadAhead.For(request)
            ?? await new HgChangesetLog(runner, options.Value).ReadAsync(request.GitDirectory, request.TipsBeforePush, moves, limits.MaxCommits, ct).ConfigureAwait(false);
        var (changesets, total, forward) = (facts.Newest, facts.Total, facts.Forward);
        var emails = changesets.Select(c => c.Email).Where(e => e.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var found = emails.Count == 0 ? new Dictionary<string, string>() : await accounts.FindUsernamesByEmailAsync(emails, ct).ConfigureAwait(false);
        var usernames = new Dictionary<string, string>(found, StringComparer.OrdinalIgnoreCase);
        var payload = new PushPayload(
            request.Repository,
            request.CanonUrl,
            request.Pusher,
            changesets.Select(c => ToPayloadCommit(c, usernames, limits)).ToList(),
            request.RefUpdates.Select(u => Describe(u, forward)).ToList(),
            total,
            limits.MaxCommits,
            request.Recovered)
        {
            DefaultBranch = HgRefs.DefaultBranch,
            PusherEmail = request.Pusher.Length == 0 ? null : (await accounts.FindAccountAsync(request.Pusher, ct).ConfigureAwait(false))?.Email,
            MaxBytes = limits.MaxBytes,
        };

        // The facts let every format be written from this push, as for git (branch filters too).
        return new BuiltPayload(PushPayloadWriter.Write(payload, limits.MaxBytes).Json, total) { Facts = payload };
    }

    private static PayloadRefChange Describe(RefUpdate update, IReadOnlySet<string> forward)
    {
        var type = update.IsBranch ? "branch" : update.IsTag ? "tag" : update.RefName.StartsWith(HgRefs.BookmarkPrefix, StringComparison.Ordinal) ? "bookmark" : "other";
        var name = type == "bookmark" ? update.RefName[HgRefs.BookmarkPrefix.Length..] : update.ShortName;
        var action = update.IsCreate ? "created" : update.IsDelete ? "deleted" : forward.Contains(update.OldId) ? "updated" : "forced";
        return new PayloadRefChange(update.RefName, name, type, update.OldId, update.NewId, action);
    }

    private static PayloadCommit ToPayloadCommit(HgChangeset changeset, Dictionary<string, string> usernames, PayloadOptions limits)
    {
        var files = changeset.Files.ToList();
        var (message, cut) = Cut(changeset.Description, limits.MaxMessageBytes);
        return new PayloadCommit(
            changeset.Node,
            changeset.Parents,
            usernames.GetValueOrDefault(changeset.Email) ?? changeset.Person,
            changeset.User,
            changeset.Branch,
            message,
            cut,
            changeset.Date,
            files.Take(limits.MaxFilesPerCommit).ToList(),
            files.Count,
            changeset.Revision)
        {
            // hg records one person and one date per changeset: no committer, no tree id.
            AuthorName = changeset.Person,
            AuthorEmail = changeset.Email,
            AuthorUsername = usernames.GetValueOrDefault(changeset.Email),
        };
    }

    /// <summary>The text cut to at most <paramref name="maxBytes"/> UTF-8 bytes, never inside a character.</summary>
    private static (string Text, bool Cut) Cut(string text, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes)
        {
            return (text, false);
        }

        var length = 0;
        var bytes = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > maxBytes)
            {
                break;
            }

            bytes += rune.Utf8SequenceLength;
            length += rune.Utf16SequenceLength;
        }

        return (text[..length], true);
    }
}
