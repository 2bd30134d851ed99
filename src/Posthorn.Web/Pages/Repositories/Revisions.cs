namespace Posthorn.Web.Pages.Repositories;

/// <summary>Revisions as the commit and compare pages take them from their URLs.</summary>
public static class Revisions
{
    /// <summary>
    /// A commit id, branch or tag name to hand to git: never an option (a leading '-'), never a
    /// revision expression beyond a name (no whitespace, control characters, ':' or '^'), and short.
    /// </summary>
    public static bool IsName(string? revision) =>
        revision is { Length: > 0 and <= 255 } && revision[0] != '-'
        && !revision.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is ':' or '^' or '~' or '\\' or '?' or '*' or '[')
        && !revision.Contains("..", StringComparison.Ordinal) && !revision.Contains("@{", StringComparison.Ordinal);

    /// <summary>"A...B" or "A..B" as (A, B); null when there is no range operator.</summary>
    public static (string From, string To)? SplitRange(string range)
    {
        foreach (var separator in (string[])["...", ".."])
        {
            var at = range.IndexOf(separator, StringComparison.Ordinal);
            if (at >= 0)
            {
                return (range[..at], range[(at + separator.Length)..]);
            }
        }

        return null;
    }
}
