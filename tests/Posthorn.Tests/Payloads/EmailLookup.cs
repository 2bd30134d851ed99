using Posthorn.Core.Accounts;

namespace Posthorn.Tests.Payloads;

/// <summary>
/// A lookup table standing in for the account store: only e-mail → username is implemented,
/// and it counts calls so tests can pin "one lookup per payload".
/// </summary>
public sealed class EmailLookup(IReadOnlyDictionary<string, string> usernamesByEmail) : IAccountStore
{
    public int Calls { get; private set; }

    public Task<IReadOnlyDictionary<string, string>> FindUsernamesByEmailAsync(IReadOnlyCollection<string> emails, CancellationToken ct)
    {
        Calls++;
        IReadOnlyDictionary<string, string> found = usernamesByEmail
            .Where(pair => emails.Contains(pair.Key, StringComparer.OrdinalIgnoreCase))
            .ToDictionary(pair => pair.Key, pair => pair.Value);
        return Task.FromResult(found);
    }

    public Task<Account> CreateAccountAsync(string username, string email, string passwordHash, bool isSiteAdmin, DateTimeOffset now, CancellationToken ct) => throw new NotSupportedException();

    /// <summary>The pusher is nobody this table knows (payloads then state no pusher e-mail).</summary>
    public Task<Account?> FindAccountAsync(string username, CancellationToken ct) => Task.FromResult<Account?>(null);

    public Task<Account?> FindAccountByIdAsync(long id, CancellationToken ct) => throw new NotSupportedException();

    public Task<IReadOnlyList<Account>> ListAccountsAsync(CancellationToken ct) => throw new NotSupportedException();

    public Task<bool> SetPasswordHashAsync(long accountId, string passwordHash, CancellationToken ct) => throw new NotSupportedException();

    public Task<AccessToken> CreateTokenAsync(long accountId, string name, string prefix, string tokenHash, DateTimeOffset now, CancellationToken ct) => throw new NotSupportedException();

    public Task<(Account Account, AccessToken Token)?> UseTokenAsync(string tokenHash, DateTimeOffset now, CancellationToken ct) => throw new NotSupportedException();

    public Task<IReadOnlyList<AccessToken>> ListTokensAsync(long accountId, CancellationToken ct) => throw new NotSupportedException();

    public Task<bool> RevokeTokenAsync(long accountId, long tokenId, CancellationToken ct) => throw new NotSupportedException();
}
