using System.Text.RegularExpressions;

namespace Posthorn.Core.Repositories;

/// <summary>
/// Rules for usernames and repository slugs. Both become path segments on disk and in URLs,
/// so the alphabet is deliberately narrow: no dots at the start (".git", ".."), no slashes.
/// </summary>
public static partial class RepositoryName
{
    // \z, not $: .NET's $ also matches before a final "\n", which let "name\n" through to the disk.
    [GeneratedRegex(@"\A[a-z0-9][a-z0-9_-]{0,38}\z")]
    private static partial Regex UsernamePattern();

    [GeneratedRegex(@"\A[a-z0-9][a-z0-9._-]{0,99}\z")]
    private static partial Regex SlugPattern();

    /// <summary>Longest username the rule allows; longer input is refused before any lookup.</summary>
    public const int MaxUsernameLength = 39;

    public static bool IsValidUsername(string? value) => value is not null && value.Length <= MaxUsernameLength && UsernamePattern().IsMatch(value);

    /// <summary>A slug may not end in ".git": clone URLs add and strip that suffix.</summary>
    public static bool IsValidSlug(string? value) =>
        value is not null && SlugPattern().IsMatch(value) && !value.EndsWith(".git", StringComparison.Ordinal) && !value.Contains("..", StringComparison.Ordinal);

    /// <summary>Splits "owner/slug"; null when the text is not of that shape or either part is invalid.</summary>
    public static (string Owner, string Slug)? ParseFullName(string? value)
    {
        var parts = value?.Split('/') ?? [];
        return parts.Length == 2 && IsValidUsername(parts[0]) && IsValidSlug(parts[1]) ? (parts[0], parts[1]) : null;
    }
}
