using System.Text;
using System.Text.RegularExpressions;

namespace Posthorn.Core.PostServices;

/// <summary>
/// A service's branch globs ("main", "release/*"); empty means every branch (and tags). '*' matches
/// within one path segment, '**' across segments, '?' one character, as in .gitignore and in the
/// branch filters of Bitbucket and GitHub. Names are compared exactly (branch names are case-sensitive in git).
/// Immutable and thread-safe.
/// </summary>
public sealed class BranchFilter
{
    public const int MaxPatterns = 50;

    public const int MaxPatternLength = 200;

    public static readonly BranchFilter All = new([]);

    private readonly Regex[] patterns;

    private BranchFilter(IReadOnlyList<string> globs)
    {
        Globs = globs;
        patterns = globs.Select(ToRegex).ToArray();
    }

    public IReadOnlyList<string> Globs { get; }

    public bool IsEmpty => Globs.Count == 0;

    public static BranchFilter Of(IReadOnlyList<string>? globs) => globs is null || globs.Count == 0 ? All : new BranchFilter(globs);

    /// <summary>Whether a push to, or a pull request into, <paramref name="branch"/> (a short name, "main") concerns the service.</summary>
    public bool Matches(string branch) => IsEmpty || patterns.Any(p => p.IsMatch(branch));

    /// <summary>The globs cleaned up: trimmed, "refs/heads/" dropped, distinct, bounded.</summary>
    /// <exception cref="ValidationException">Too many or too long patterns, or one with characters no branch may hold.</exception>
    public static IReadOnlyList<string> Normalize(IEnumerable<string>? globs)
    {
        var cleaned = (globs ?? []).Select(g => g.Trim()).Where(g => g.Length > 0)
            .Select(g => g.StartsWith("refs/heads/", StringComparison.Ordinal) ? g["refs/heads/".Length..] : g)
            .Distinct(StringComparer.Ordinal).ToList();
        if (cleaned.Count > MaxPatterns)
        {
            throw new ValidationException("branches", $"At most {MaxPatterns} branch patterns.");
        }

        if (cleaned.FirstOrDefault(g => g.Length > MaxPatternLength || g.Any(c => char.IsControl(c) || c is ' ' or '~' or '^' or ':' or '\\' or '[')) is { } bad)
        {
            throw new ValidationException("branches", $"'{bad}' is not a branch pattern: use branch names with '*' (one path segment), '**' or '?', e.g. main, release/*.");
        }

        return cleaned;
    }

    private static Regex ToRegex(string glob)
    {
        var pattern = new StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                pattern.Append(".*");
                i++;
            }
            else
            {
                pattern.Append(c switch { '*' => "[^/]*", '?' => "[^/]", _ => Regex.Escape(c.ToString()) });
            }
        }

        return new Regex(pattern.Append('$').ToString(), RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
    }
}
