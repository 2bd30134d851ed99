namespace Posthorn.Git.Refs;

/// <summary>
/// The check both in-process readers (refs, and the payload's commits) make before reading a
/// repository's files themselves: not a linked worktree, a config of its own, and no word in that
/// config that could change what git would answer (each reader names its own words).
/// </summary>
internal static class PlainRepository
{
    public static bool Is(string gitDirectory, IReadOnlyList<string> refusedWords)
    {
        if (File.Exists(Path.Combine(gitDirectory, "commondir")))
        {
            return false;
        }

        var config = Path.Combine(gitDirectory, "config");
        return File.Exists(config) && !Mentions(File.ReadAllText(config), refusedWords);
    }

    /// <summary>Whether <paramref name="configText"/> names any of <paramref name="words"/>, in any case.</summary>
    public static bool Mentions(string configText, IReadOnlyList<string> words) =>
        words.Any(word => configText.Contains(word, StringComparison.OrdinalIgnoreCase));
}
