namespace Posthorn.Git.Processes;

/// <summary>Environment for commands that act on one repository.</summary>
public static class GitEnvironment
{
    /// <summary>
    /// Pins git to the bare repository: without GIT_DIR, git would search parent directories when
    /// the path is not (yet) a repository and could act on whatever repository encloses it.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ForRepository(string gitDirectory) =>
        new Dictionary<string, string> { ["GIT_DIR"] = gitDirectory };
}
