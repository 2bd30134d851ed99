using System.Text.Json.Serialization;

namespace Posthorn.Git.Mercurial;

/// <summary>The first line of posthorn_hg.py's "push" answer; the changesets follow, one per line.</summary>
internal sealed class HgPushFactsHead
{
    [JsonPropertyName("refs")]
    public Dictionary<string, string> Refs { get; init; } = [];

    [JsonPropertyName("forward")]
    public IReadOnlyList<string> Forward { get; init; } = [];
}
