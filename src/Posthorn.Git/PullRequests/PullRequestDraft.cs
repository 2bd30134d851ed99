namespace Posthorn.Git.PullRequests;

/// <summary>What a person fills in to open a pull request: branch names ("feature", not refs/heads/feature).</summary>
public sealed record PullRequestDraft(string? Title, string? Description, string? Source, string? Destination)
{
    public const int MaxTitleLength = 255;

    public const int MaxDescriptionLength = 20_000;
}
