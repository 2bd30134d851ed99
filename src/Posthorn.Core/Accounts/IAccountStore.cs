namespace Posthorn.Core.Accounts;

/// <summary>Accounts and their personal access tokens. Usernames and e-mails compare case-insensitively.</summary>
public interface IAccountStore
{
    /// <exception cref="Posthorn.Core.ConflictException">The username or e-mail is taken.</exception>
    Task<Account> CreateAccountAsync(string username, string email, string passwordHash, bool isSiteAdmin, DateTimeOffset now, CancellationToken ct);

    Task<Account?> FindAccountAsync(string username, CancellationToken ct);

    Task<Account?> FindAccountByIdAsync(long id, CancellationToken ct);

    /// <summary>Maps commit author e-mails to usernames in one round trip; unknown e-mails are absent from the result.</summary>
    Task<IReadOnlyDictionary<string, string>> FindUsernamesByEmailAsync(IReadOnlyCollection<string> emails, CancellationToken ct);

    Task<IReadOnlyList<Account>> ListAccountsAsync(CancellationToken ct);

    Task<bool> SetPasswordHashAsync(long accountId, string passwordHash, CancellationToken ct);

    Task<AccessToken> CreateTokenAsync(long accountId, string name, string prefix, string tokenHash, DateTimeOffset now, CancellationToken ct);

    /// <summary>Finds the live token with this hash and its account, and stamps its last use (to the minute: no write per request).</summary>
    Task<(Account Account, AccessToken Token)?> UseTokenAsync(string tokenHash, DateTimeOffset now, CancellationToken ct);

    Task<IReadOnlyList<AccessToken>> ListTokensAsync(long accountId, CancellationToken ct);

    /// <returns>false when the account has no such token.</returns>
    Task<bool> RevokeTokenAsync(long accountId, long tokenId, CancellationToken ct);
}
