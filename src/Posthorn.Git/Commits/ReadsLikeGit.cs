using System.Collections.Concurrent;
using Posthorn.Git.Refs;

namespace Posthorn.Git.Commits;

/// <summary>
/// Whether a repository is one where reading objects directly gives what git log prints: none of
/// the settings or files that change history or output (object format and other extensions, includes
/// that could set them, an output encoding, a diff order file, grafts, a shallow clone, replace refs,
/// a commit-graph, with which libgit2 and git hide different commits when dates are skewed),
/// in the repository's config or the user's and system's. Anything unsure is a no.
/// </summary>
internal static class ReadsLikeGit
{
    private static readonly string[] Unsafe = ["extensions", "include", "i18n", "orderfile", "replace", "graft"];

    // The user's and system's configs rarely change: read again only when their size or time does.
    private static readonly ConcurrentDictionary<string, (DateTime Written, long Length, bool Plain)> Seen = new(StringComparer.Ordinal);

    public static bool Repository(string gitDirectory)
    {
        if (File.Exists(Path.Combine(gitDirectory, "shallow"))
            || File.Exists(Path.Combine(gitDirectory, "info", "grafts")) || Directory.Exists(Path.Combine(gitDirectory, "refs", "replace"))
            || File.Exists(Path.Combine(gitDirectory, "objects", "info", "commit-graph"))
            || Directory.Exists(Path.Combine(gitDirectory, "objects", "info", "commit-graphs")))
        {
            return false;
        }

        var packed = Path.Combine(gitDirectory, "packed-refs");
        if (File.Exists(packed) && File.ReadAllText(packed).Contains("refs/replace/", StringComparison.Ordinal))
        {
            return false;
        }

        return PlainRepository.Is(gitDirectory, Unsafe) && GlobalConfigs().All(IsPlainGlobal);
    }

    private static bool IsPlainGlobal(string config)
    {
        var file = new FileInfo(config);
        if (!file.Exists)
        {
            return true;
        }

        if (Seen.TryGetValue(config, out var seen) && seen.Written == file.LastWriteTimeUtc && seen.Length == file.Length)
        {
            return seen.Plain;
        }

        var plain = !PlainRepository.Mentions(File.ReadAllText(config), Unsafe);
        Seen[config] = (file.LastWriteTimeUtc, file.Length, plain);
        return plain;
    }

    private static IEnumerable<string> GlobalConfigs()
    {
        if (Environment.GetEnvironmentVariable("GIT_CONFIG_NOSYSTEM") is null or "" or "0" or "false")
        {
            yield return "/etc/gitconfig";
        }

        if (Environment.GetEnvironmentVariable("GIT_CONFIG_GLOBAL") is { Length: > 0 } global)
        {
            yield return global;
        }

        var home = Environment.GetEnvironmentVariable("HOME");
        if (!string.IsNullOrEmpty(home))
        {
            yield return Path.Combine(home, ".gitconfig");
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } x ? x : string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".config");
        if (xdg is not null)
        {
            yield return Path.Combine(xdg, "git", "config");
        }
    }
}
