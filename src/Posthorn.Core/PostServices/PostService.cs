namespace Posthorn.Core.PostServices;

/// <summary>
/// A URL that receives every push to a repository. <see cref="Url"/> may carry user:password
/// (sent as HTTP Basic); show it only through <see cref="ServiceUrl.Mask"/>. <see cref="Secrets"/>
/// sign with Standard Webhooks, one signature per secret while a rotation is under way.
/// </summary>
public sealed record PostService(
    long Id,
    long RepositoryId,
    string Url,
    PayloadFormat Format,
    bool IsActive,
    IReadOnlyList<string> Secrets,
    ServiceHealth Health,
    DateTimeOffset CreatedAt);
