using Posthorn.Core.Pushes;

namespace Posthorn.Git.Commits;

/// <summary>
/// The order in which a push's branches claim their new commits (docs/post-service.md, "attribution
/// rule"): the repository's default branch, then branches that existed before the push (an update
/// beats a creation), then created ones, each group by name. A commit reachable from several is
/// listed under the first. The original service listed it under the first by name, so pushing master
/// and a new feature listed master's commits under feature and receivers started feature builds for them.
/// </summary>
internal static class Attribution
{
    /// <param name="defaultBranch">The short name HEAD points at ("main"), or null.</param>
    public static IEnumerable<RefUpdate> Order(IReadOnlyList<RefUpdate> updates, string? defaultBranch) =>
        updates.Where(u => u.IsBranch && !u.IsDelete)
            .OrderBy(u => u.ShortName == defaultBranch ? 0 : u.IsCreate ? 2 : 1)
            .ThenBy(u => u.RefName, StringComparer.Ordinal);
}
