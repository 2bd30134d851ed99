namespace Posthorn.Web.Git;

/// <summary>
/// The smart HTTP URLs (git's Documentation/technical/http-protocol.txt): /{owner}/{slug}[.git]/info/refs,
/// .../git-upload-pack and .../git-receive-pack. Clone URLs work with and without ".git".
/// </summary>
public static class GitRoutes
{
    public static bool IsGitPath(PathString path)
    {
        var value = path.Value ?? "";
        return value.EndsWith("/info/refs", StringComparison.Ordinal)
            || value.EndsWith("/git-upload-pack", StringComparison.Ordinal)
            || value.EndsWith("/git-receive-pack", StringComparison.Ordinal);
    }

    /// <summary>"project.git" → "project"; slugs may not end in ".git", so this is unambiguous.</summary>
    public static string SlugOf(string repo) => repo.EndsWith(".git", StringComparison.Ordinal) ? repo[..^4] : repo;
}
