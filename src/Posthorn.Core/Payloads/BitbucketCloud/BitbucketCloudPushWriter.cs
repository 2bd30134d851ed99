using System.Text.Json;

namespace Posthorn.Core.Payloads.BitbucketCloud;

/// <summary>
/// Bitbucket Cloud's <c>repo:push</c> document: <c>actor</c>, <c>repository</c>, and one
/// <c>push.changes[]</c> entry per changed branch or tag with <c>old</c>/<c>new</c> (null when the ref
/// was created/deleted), <c>created</c>, <c>closed</c>, <c>forced</c>, and the change's new commits newest
/// first, at most <see cref="CommitsPerChange"/> of them as Bitbucket Cloud sends (<c>truncated</c> says
/// there were more). A target carries date, message, author and parents when its commit is new in the
/// push, otherwise only its hash. Other refs (notes, ...) have no place in this format and are left out.
/// </summary>
public static class BitbucketCloudPushWriter
{
    /// <summary>Bitbucket Cloud lists the five newest commits of a change.</summary>
    public const int CommitsPerChange = 5;

    /// <summary>Branches, tags and Mercurial bookmarks (Bitbucket Cloud's own types, hg included); other refs are not announced.</summary>
    public static bool Announced(string type) => type is "branch" or "tag" or "bookmark";

    public static string Write(PushPayload facts, IReadOnlyList<PayloadRefChange> changes, CommitGraph graph)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(changes);
        var shown = changes.Where(c => Announced(c.Type)).ToList();
        var (json, _) = JsonText.Fit(shown.Count, facts.MaxBytes, count => JsonText.Write(w =>
        {
            w.WriteStartObject();
            BitbucketCloudJson.WriteUser(w, "actor", facts.User);
            BitbucketCloudJson.WriteRepository(w, facts.Repository, facts.CanonUrl);
            w.WriteStartObject("push");
            w.WriteStartArray("changes");
            foreach (var change in shown.Take(count))
            {
                WriteChange(w, facts, change, graph);
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        }));
        return json;
    }

    private static void WriteChange(Utf8JsonWriter w, PushPayload facts, PayloadRefChange change, CommitGraph graph)
    {
        var created = change.Action == "created";
        var closed = change.Action == "deleted";
        var commits = closed ? [] : graph.ReachableFrom(change.New);
        w.WriteStartObject();
        WriteState(w, "old", facts, change, created ? null : change.Old, graph);
        WriteState(w, "new", facts, change, closed ? null : change.New, graph);
        w.WriteBoolean("created", created);
        w.WriteBoolean("closed", closed);
        w.WriteBoolean("forced", change.Action == "forced");
        w.WriteStartArray("commits");
        foreach (var commit in commits.Reverse().Take(CommitsPerChange))
        {
            WriteCommitValue(w, facts, commit);
        }

        w.WriteEndArray();
        w.WriteBoolean("truncated", commits.Count > CommitsPerChange);
        w.WriteStartObject("links");
        var html = RepositoryLinks.Html(facts.CanonUrl, facts.Repository);
        BitbucketCloudJson.WriteHref(w, "html", created || closed ? $"{html}/branch/{change.Name}" : $"{html}/branches/compare/{change.New}..{change.Old}");
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteState(Utf8JsonWriter w, string name, PushPayload facts, PayloadRefChange change, string? hash, CommitGraph graph)
    {
        if (hash is null)
        {
            w.WriteNull(name);
            return;
        }

        w.WriteStartObject(name);
        w.WriteString("type", change.Type);
        w.WriteString("name", change.Name);
        if (graph.Find(hash) is { } commit)
        {
            w.WritePropertyName("target");
            WriteCommitValue(w, facts, commit);
        }
        else
        {
            w.WriteStartObject("target");
            w.WriteString("hash", hash);
            w.WriteString("type", "commit");
            w.WriteEndObject();
        }

        w.WriteStartObject("links");
        BitbucketCloudJson.WriteHref(w, "html", $"{RepositoryLinks.Html(facts.CanonUrl, facts.Repository)}/src/{change.Name}");
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteCommitValue(Utf8JsonWriter w, PushPayload facts, PayloadCommit commit)
    {
        w.WriteStartObject();
        w.WriteString("hash", commit.RawNode);
        w.WriteString("type", "commit");
        w.WriteString("date", commit.AuthorDate.Iso);
        w.WriteString("message", commit.Message);
        w.WriteStartObject("author");
        w.WriteString("raw", commit.RawAuthor);
        w.WriteString("type", "author");
        if (commit.AuthorUsername is { } username)
        {
            BitbucketCloudJson.WriteUser(w, "user", username);
        }

        w.WriteEndObject();
        w.WriteStartArray("parents");
        foreach (var parent in commit.Parents)
        {
            w.WriteStartObject();
            w.WriteString("hash", parent);
            w.WriteString("type", "commit");
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartObject("links");
        BitbucketCloudJson.WriteHref(w, "html", $"{RepositoryLinks.Html(facts.CanonUrl, facts.Repository)}/commits/{commit.RawNode}");
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
