using Posthorn.Core.Pushes;

namespace Posthorn.Git.Commits;

/// <summary>The repository's default branch, and the order in which a push's branches claim their new commits.</summary>
internal static class DefaultBranch
{
    /// <summary>
    /// The branch HEAD names ("main"), read from the HEAD file: a bare repository's HEAD is a
    /// symbolic ref written as "ref: refs/heads/main" (gitrepository-layout(5)), so no git process is
    /// needed. Null when HEAD is missing, detached or unreadable.
    /// </summary>
    public static string? Read(string gitDirectory)
    {
        try
        {
            var head = File.ReadAllText(Path.Combine(gitDirectory, "HEAD")).Trim();
            const string prefix = "ref: refs/heads/";
            return head.StartsWith(prefix, StringComparison.Ordinal) && head.Length > prefix.Length ? head[prefix.Length..] : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// The branches the push created or moved, in attribution order: the default branch, then updated
    /// branches, then created ones, each group by name. A commit reachable from several is listed under
    /// the first (the original service listed it under the first by name, so feature builds started
    /// for master's commits).
    /// </summary>
    public static IEnumerable<RefUpdate> AttributionOrder(IReadOnlyList<RefUpdate> updates, string? defaultBranch) =>
        updates.Where(u => u.IsBranch && !u.IsDelete)
            .OrderBy(u => u.ShortName == defaultBranch ? 0 : u.IsCreate ? 2 : 1)
            .ThenBy(u => u.RefName, StringComparer.Ordinal);
}
