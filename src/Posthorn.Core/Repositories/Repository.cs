namespace Posthorn.Core.Repositories;

/// <summary>A hosted repository. <see cref="Owner"/> is the owning account's username; the URL is /{Owner}/{Slug}.</summary>
public sealed record Repository(
    long Id,
    string Owner,
    string Slug,
    string Name,
    bool IsPrivate,
    bool IsFork,
    string Website,
    string Scm,
    DateTimeOffset CreatedAt)
{
    public string FullName => $"{Owner}/{Slug}";

    /// <summary>The payload's <c>repository.absolute_url</c>.</summary>
    public string AbsoluteUrl => $"/{Owner}/{Slug}/";
}
