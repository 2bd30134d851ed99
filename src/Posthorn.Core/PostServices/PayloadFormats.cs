namespace Posthorn.Core.PostServices;

/// <summary>The wire names of <see cref="PayloadFormat"/> ("bitbucket-post", "json", "bitbucket-cloud", "github"), read case-insensitively.</summary>
public static class PayloadFormats
{
    public static readonly IReadOnlyList<PayloadFormat> All = [PayloadFormat.BitbucketPost, PayloadFormat.Json, PayloadFormat.BitbucketCloud, PayloadFormat.Github];

    public static string ToName(this PayloadFormat format) => format switch
    {
        PayloadFormat.Json => "json",
        PayloadFormat.BitbucketCloud => "bitbucket-cloud",
        PayloadFormat.Github => "github",
        _ => "bitbucket-post",
    };

    /// <summary>One line for the service form's select and the CLI's help.</summary>
    public static string Hint(this PayloadFormat format) => format switch
    {
        PayloadFormat.Json => "The original document as an application/json body.",
        PayloadFormat.BitbucketCloud => "Bitbucket Cloud 2.0 webhooks (repo:push, pullrequest:*), for tools that speak Bitbucket Cloud.",
        PayloadFormat.Github => "GitHub webhooks: one push per changed ref, pull_request, ping (Jenkins, Argo CD, Atlantis...).",
        _ => "The original Bitbucket POST service: form field payload= holding the JSON document.",
    };

    /// <summary>Whether the format has a signature scheme of its own (sent whenever the service has a secret).</summary>
    public static bool HasNativeSignature(this PayloadFormat format) => format is PayloadFormat.BitbucketCloud or PayloadFormat.Github;

    public static bool TryParse(string? name, out PayloadFormat format)
    {
        var trimmed = name?.Trim() ?? "";
        foreach (var candidate in All)
        {
            if (string.Equals(trimmed, candidate.ToName(), StringComparison.OrdinalIgnoreCase))
            {
                format = candidate;
                return true;
            }
        }

        format = default;
        return trimmed.Length == 0;
    }

    /// <summary>"'bitbucket-post', 'json', 'bitbucket-cloud' or 'github'", for error messages.</summary>
    public static string Choices => string.Join(", ", All.Take(All.Count - 1).Select(f => $"'{f.ToName()}'")) + $" or '{All[^1].ToName()}'";
}
