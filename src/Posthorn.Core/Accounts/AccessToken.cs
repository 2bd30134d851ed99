namespace Posthorn.Core.Accounts;

/// <summary>
/// A personal access token as stored: only its hash is kept, and <see cref="Prefix"/> (the first
/// characters of the clear token) lets a person recognise it in a list without revealing it.
/// </summary>
public sealed record AccessToken(
    long Id,
    long AccountId,
    string Name,
    string Prefix,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt);
