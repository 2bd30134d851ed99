namespace Posthorn.Core.PostServices;

/// <summary>
/// A URL that receives a repository's events (pushes by default). <see cref="Url"/> may carry user:password
/// (sent as HTTP Basic); show it only through <see cref="ServiceUrl.Mask"/>. <see cref="Secrets"/>
/// sign the requests (the format's own scheme, Standard Webhooks with the original formats or on request),
/// one signature per secret while a rotation is under way.
/// </summary>
public sealed record PostService(
    long Id,
    long RepositoryId,
    string Url,
    PayloadFormat Format,
    bool IsActive,
    IReadOnlyList<string> Secrets,
    ServiceHealth Health,
    DateTimeOffset CreatedAt)
{
    /// <summary>The events subscribed to (<see cref="ServiceEvents"/>); default push only.</summary>
    public IReadOnlyList<string> Events { get; init; } = ServiceEvents.Default;

    /// <summary>Branch globs; empty means every branch and tag.</summary>
    public IReadOnlyList<string> Branches { get; init; } = [];

    /// <inheritdoc cref="PostServiceSettings.StandardWebhooks"/>
    public bool StandardWebhooks { get; init; }

    /// <inheritdoc cref="PostServiceSettings.FormEncoded"/>
    public bool FormEncoded { get; init; }

    /// <summary>Whether requests carry Standard Webhooks headers (when there is a secret).</summary>
    public bool SignsStandardWebhooks => Secrets.Count > 0 && (StandardWebhooks || !Format.HasNativeSignature());
}
