namespace Posthorn.Core.Accounts;

/// <summary>A person (or bot) who signs in, pushes and administers repositories. Immutable snapshot of a stored row.</summary>
public sealed record Account(
    long Id,
    string Username,
    string Email,
    string PasswordHash,
    bool IsSiteAdmin,
    DateTimeOffset CreatedAt);
