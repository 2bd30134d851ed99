namespace Posthorn.Core.Repositories;

/// <summary>
/// What a caller supplies to create a repository; validated by <see cref="RepositoryName"/> before it reaches storage.
/// <see cref="Scm"/> is "git" or "hg" (<see cref="Scms"/>).
/// </summary>
public sealed record NewRepository(
    long OwnerAccountId,
    string Slug,
    string Name,
    bool IsPrivate,
    string Website,
    string Scm = Scms.Git);
