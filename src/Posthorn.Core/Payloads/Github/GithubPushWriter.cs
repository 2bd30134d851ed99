using System.Text.Json;

namespace Posthorn.Core.Payloads.Github;

/// <summary>
/// GitHub's <c>push</c> document for ONE changed ref (GitHub sends one request per ref). Its
/// <c>commits</c> are the commits new in the push that the ref reaches, oldest first, at most
/// <see cref="MaxCommits"/> (the newest) as GitHub caps them; <c>distinct</c> is true for the one ref each
/// commit is listed under by the attribution rule. A deletion has <c>deleted: true</c>, <c>after</c> all
/// zeros, no commits and a null <c>head_commit</c>; <c>head_commit</c> is also null when the ref's new
/// tip was not new in the push (e.g. a tag on an existing commit). The document is cut to
/// Payload:MaxBytes by leaving out the oldest commits.
/// </summary>
public static class GithubPushWriter
{
    /// <summary>"The array includes a maximum of 2048 commits" (GitHub's push event reference).</summary>
    public const int MaxCommits = 2048;

    public static string Write(PushPayload facts, PayloadRefChange change, CommitGraph graph, IReadOnlyList<PayloadRefChange> allChanges)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(change);
        var deleted = change.Action == "deleted";
        var created = change.Action == "created";
        var reachable = deleted ? [] : graph.ReachableFrom(change.New);
        var commits = reachable.Skip(Math.Max(0, reachable.Count - MaxCommits)).ToList();
        var head = deleted ? null : graph.Find(change.New);
        var html = RepositoryLinks.Html(facts.CanonUrl, facts.Repository);

        // A ref created at the commit another ref of the push points at was based on that ref.
        var baseRef = created ? allChanges.FirstOrDefault(c => c != change && c.Type == "branch" && c.New == change.New && c.Action != "deleted")?.Ref : null;
        var (json, _) = JsonText.Fit(commits.Count, facts.MaxBytes, count => JsonText.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("ref", change.Ref);
            w.WriteString("before", change.Old);
            w.WriteString("after", change.New);
            GithubJson.WriteRepository(w, facts.Repository, facts.CanonUrl, facts.DefaultBranch);
            w.WriteStartObject("pusher");
            w.WriteString("name", facts.User);
            if (facts.PusherEmail is { } email)
            {
                w.WriteString("email", email);
            }
            else
            {
                w.WriteNull("email");
            }

            w.WriteEndObject();
            GithubJson.WriteUser(w, "sender", facts.User);
            w.WriteBoolean("created", created);
            w.WriteBoolean("deleted", deleted);
            w.WriteBoolean("forced", change.Action == "forced");
            if (baseRef is null)
            {
                w.WriteNull("base_ref");
            }
            else
            {
                w.WriteString("base_ref", baseRef);
            }

            w.WriteString("compare", created ? $"{html}/compare/{change.Name}" : $"{html}/compare/{Short(change.Old)}...{Short(change.New)}");
            w.WriteStartArray("commits");
            foreach (var commit in commits.Skip(commits.Count - count))
            {
                WriteCommit(w, facts, commit, distinct: change.Type == "branch" && commit.Branch == change.Name);
            }

            w.WriteEndArray();
            if (head is null)
            {
                w.WriteNull("head_commit");
            }
            else
            {
                w.WritePropertyName("head_commit");
                WriteCommit(w, facts, head, distinct: change.Type == "branch" && head.Branch == change.Name);
            }

            w.WriteEndObject();
        }));
        return json;
    }

    private static void WriteCommit(Utf8JsonWriter w, PushPayload facts, PayloadCommit commit, bool distinct)
    {
        w.WriteStartObject();
        w.WriteString("id", commit.RawNode);
        w.WriteString("tree_id", commit.TreeId);
        w.WriteBoolean("distinct", distinct);

        // GitHub states the message without git's trailing newline.
        w.WriteString("message", commit.Message.TrimEnd('\n'));
        w.WriteString("timestamp", commit.AuthorDate.Iso);
        w.WriteString("url", $"{RepositoryLinks.Html(facts.CanonUrl, facts.Repository)}/commit/{commit.RawNode}");
        WritePerson(w, "author", commit.AuthorName, commit.AuthorEmail, commit.AuthorUsername);
        WritePerson(w, "committer", commit.CommitterName, commit.CommitterEmail, commit.CommitterUsername);
        WritePaths(w, "added", commit, "added");
        WritePaths(w, "removed", commit, "removed");
        WritePaths(w, "modified", commit, "modified");
        w.WriteEndObject();
    }

    private static void WritePerson(Utf8JsonWriter w, string name, string personName, string email, string? username)
    {
        w.WriteStartObject(name);
        w.WriteString("name", personName);
        w.WriteString("email", email);
        if (username is not null)
        {
            w.WriteString("username", username);
        }

        w.WriteEndObject();
    }

    private static void WritePaths(Utf8JsonWriter w, string name, PayloadCommit commit, string type)
    {
        w.WriteStartArray(name);
        foreach (var file in commit.Files.Where(f => f.Type == type))
        {
            w.WriteStringValue(file.File);
        }

        w.WriteEndArray();
    }

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;
}
