using System.Globalization;
using System.Text.Json;
using Posthorn.Core.PullRequests;

namespace Posthorn.Core.Payloads;

/// <summary>
/// The pull-request document of formats bitbucket-post and json: the push document's envelope
/// (<c>canon_url</c>, <c>repository</c>, <c>user</c> = who caused the event) plus <c>pullrequest</c>.
/// </summary>
public static class PullRequestPayloadWriter
{
    public static string Write(PullRequestEvent pullRequestEvent, string canonUrl)
    {
        ArgumentNullException.ThrowIfNull(pullRequestEvent);
        var pr = pullRequestEvent.PullRequest;
        return JsonText.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("canon_url", PayloadJson.CanonUrl(canonUrl));
            PayloadJson.WriteRepository(w, pullRequestEvent.Repository);
            w.WriteString("user", pullRequestEvent.Actor);
            w.WriteStartObject("pullrequest");
            w.WriteNumber("id", pr.Id);
            w.WriteString("title", pr.Title);
            w.WriteString("description", pr.Description);
            w.WriteString("state", StateName(pr.State));
            w.WriteString("author", pr.Author);
            WriteEnd(w, "source", pr.SourceBranch, pr.SourceCommit);
            WriteEnd(w, "destination", pr.DestinationBranch, pr.DestinationCommit);
            WriteMergeCommit(w, pr.MergeCommit);

            WriteNullable(w, "closed_by", pr.ClosedBy);
            w.WriteString("created_on", Time(pr.CreatedAt));
            w.WriteString("updated_on", Time(pr.UpdatedAt));
            w.WriteStartObject("links");
            w.WriteString("html", RepositoryLinks.PullRequest(canonUrl, pullRequestEvent.Repository, pr.Id));
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    /// <summary>"OPEN", "MERGED", "DECLINED".</summary>
    public static string StateName(PullRequestState state) => state.ToString().ToUpperInvariant();

    /// <summary>ISO 8601 in UTC ("2026-11-29T10:00:00.000+00:00").</summary>
    public static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+00:00'", CultureInfo.InvariantCulture);

    /// <summary><c>"merge_commit": {"hash"}</c>, or null while unmerged: the same in the original and Bitbucket Cloud shapes.</summary>
    public static void WriteMergeCommit(Utf8JsonWriter w, string? mergeCommit)
    {
        ArgumentNullException.ThrowIfNull(w);
        if (mergeCommit is null)
        {
            w.WriteNull("merge_commit");
            return;
        }

        w.WriteStartObject("merge_commit");
        w.WriteString("hash", mergeCommit);
        w.WriteEndObject();
    }

    private static void WriteEnd(Utf8JsonWriter w, string name, string branch, string commit)
    {
        w.WriteStartObject(name);
        w.WriteString("branch", branch);
        w.WriteString("commit", commit);
        w.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }
}
