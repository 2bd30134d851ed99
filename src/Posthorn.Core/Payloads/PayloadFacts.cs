using System.Text.Json;
using Posthorn.Core.PostServices;

namespace Posthorn.Core.Payloads;

/// <summary>
/// The values a <see cref="UrlTemplate"/> needs, read back from a stored payload document: the
/// payload is the record of what the push did, so retries and redeliveries expand to the same URL.
/// ${branch}/${ref}/${commit} come from the first branch the push created or moved (else the first
/// ref change), ${tag} from the first tag. The other documents are read the same way: github's
/// (one ref: <c>ref</c>, <c>after</c>, <c>pusher</c>), bitbucket-cloud's (<c>push.changes</c>), and a pull
/// request's (its destination branch and the merge commit, else the source commit).
/// </summary>
public static class PayloadFacts
{
    public static IReadOnlyDictionary<string, string> Of(string payloadJson)
    {
        var facts = new Dictionary<string, string>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(payloadJson);
        var root = document.RootElement;
        Copy(root, "user", facts, "user");
        if (root.TryGetProperty("repository", out var repository))
        {
            Copy(repository, "owner", facts, "owner");
            Copy(repository, "slug", facts, "repository");
        }

        if (root.TryGetProperty("pusher", out _) || root.TryGetProperty("pull_request", out _) || root.TryGetProperty("actor", out _)
            || root.TryGetProperty("pullrequest", out _))
        {
            OfOtherDocument(root, facts);
            return facts;
        }

        if (root.TryGetProperty("ref_changes", out var changes) && changes.ValueKind == JsonValueKind.Array)
        {
            var all = changes.EnumerateArray().ToList();
            var branch = all.FirstOrDefault(c => Text(c, "type") == "branch" && Text(c, "action") != "deleted");
            var main = branch.ValueKind == JsonValueKind.Object ? branch : all.FirstOrDefault();
            if (main.ValueKind == JsonValueKind.Object)
            {
                facts["branch"] = Text(main, "type") == "branch" ? Text(main, "name") : "";
                facts["ref"] = Text(main, "ref");
                facts["commit"] = Text(main, "new");
            }

            var tag = all.FirstOrDefault(c => Text(c, "type") == "tag");
            facts["tag"] = tag.ValueKind == JsonValueKind.Object ? Text(tag, "name") : "";
        }

        return facts;
    }

    /// <summary>github, bitbucket-cloud and pull-request documents.</summary>
    private static void OfOtherDocument(JsonElement root, Dictionary<string, string> facts)
    {
        if (root.TryGetProperty("repository", out var repository))
        {
            var fullName = Text(repository, "full_name");
            var slash = fullName.IndexOf('/', StringComparison.Ordinal);
            facts["owner"] = slash < 0 ? Text(repository, "owner") : fullName[..slash];
            facts["repository"] = slash < 0 ? Text(repository, "slug") : fullName[(slash + 1)..];
        }

        facts["user"] = root.TryGetProperty("pusher", out var pusher) ? Text(pusher, "name")
            : root.TryGetProperty("actor", out var actor) ? Text(actor, "nickname")
            : root.TryGetProperty("sender", out var sender) ? Text(sender, "login")
            : Text(root, "user");
        var (refName, commit) = ("", "");
        if (root.TryGetProperty("ref", out var gitRef) && gitRef.ValueKind == JsonValueKind.String)
        {
            (refName, commit) = (gitRef.GetString() ?? "", Text(root, "after"));
        }
        else if (root.TryGetProperty("push", out var push) && push.TryGetProperty("changes", out var changes) && changes.ValueKind == JsonValueKind.Array)
        {
            var all = changes.EnumerateArray().Where(c => c.TryGetProperty("new", out var n) && n.ValueKind == JsonValueKind.Object).Select(c => c.GetProperty("new")).ToList();
            var state = all.FirstOrDefault(n => Text(n, "type") == "branch");
            state = state.ValueKind == JsonValueKind.Object ? state : all.FirstOrDefault();
            if (state.ValueKind == JsonValueKind.Object)
            {
                refName = (Text(state, "type") == "tag" ? "refs/tags/" : "refs/heads/") + Text(state, "name");
                commit = state.TryGetProperty("target", out var target) ? Text(target, "hash") : "";
            }
        }
        else if ((root.TryGetProperty("pullrequest", out var pr) || root.TryGetProperty("pull_request", out pr)) && pr.ValueKind == JsonValueKind.Object)
        {
            var destination = pr.TryGetProperty("destination", out var d) ? d : pr.TryGetProperty("base", out var b) ? b : default;
            if (destination.ValueKind == JsonValueKind.Object)
            {
                var branch = destination.TryGetProperty("branch", out var name) && name.ValueKind == JsonValueKind.Object ? Text(name, "name") : Text(destination, "branch");
                refName = "refs/heads/" + (branch.Length > 0 ? branch : Text(destination, "ref"));
            }

            commit = pr.TryGetProperty("merge_commit", out var merge) && merge.ValueKind == JsonValueKind.Object ? Text(merge, "hash") : Text(pr, "merge_commit_sha");
        }

        facts["branch"] = refName.StartsWith("refs/heads/", StringComparison.Ordinal) ? refName["refs/heads/".Length..] : "";
        facts["tag"] = refName.StartsWith("refs/tags/", StringComparison.Ordinal) ? refName["refs/tags/".Length..] : "";
        facts["ref"] = refName;
        facts["commit"] = commit;
    }

    private static void Copy(JsonElement from, string property, Dictionary<string, string> to, string name) => to[name] = Text(from, property);

    private static string Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : "";
}
