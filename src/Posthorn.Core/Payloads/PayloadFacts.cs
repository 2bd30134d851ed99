using System.Text.Json;
using Posthorn.Core.PostServices;

namespace Posthorn.Core.Payloads;

/// <summary>
/// The values a <see cref="UrlTemplate"/> needs, read back from a stored payload document: the
/// payload is the record of what the push did, so retries and redeliveries expand to the same URL.
/// ${branch}/${ref}/${commit} come from the first branch the push created or moved (else the first
/// ref change), ${tag} from the first tag.
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

    private static void Copy(JsonElement from, string property, Dictionary<string, string> to, string name) => to[name] = Text(from, property);

    private static string Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : "";
}
