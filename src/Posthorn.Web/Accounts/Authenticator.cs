using Posthorn.Core.Accounts;
using Posthorn.Core.Repositories;

namespace Posthorn.Web.Accounts;

/// <summary>Checks a username with a password or a personal access token (git and the API accept either).</summary>
public sealed class Authenticator(IAccountStore accounts, PasswordHashing hashing, TimeProvider time)
{
    /// <summary>A token (whatever the username, as git needs *some* username), else the username's password.</summary>
    public async Task<Account?> AuthenticateAsync(string username, string secret, CancellationToken ct) =>
        await AuthenticateTokenAsync(secret, ct) ?? await AuthenticatePasswordAsync(username, secret, ct);

    public async Task<Account?> AuthenticateTokenAsync(string token, CancellationToken ct)
    {
        var used = TokenFormat.LooksLikeToken(token) ? await accounts.UseTokenAsync(TokenFormat.Hash(token), time.GetUtcNow(), ct) : null;
        return used?.Account;
    }

    /// <summary>
    /// The account when the password is right. A username that breaks the username rule is refused
    /// before any lookup (its form is public knowledge); a well-formed unknown one still costs a
    /// hash, so the answer takes as long as a wrong password.
    /// </summary>
    public async Task<Account?> AuthenticatePasswordAsync(string username, string password, CancellationToken ct)
    {
        var normalized = NormalizeUsername(username);
        if (normalized is null)
        {
            return null;
        }

        var account = await accounts.FindAccountAsync(normalized, ct);
        if (account is null)
        {
            hashing.VerifyUnknownAccount(password);
            return null;
        }

        return hashing.Verify(account.PasswordHash, password) ? account : null;
    }

    /// <summary>The username as stored (lower case) when it can be one; null for anything the username rule refuses.</summary>
    public static string? NormalizeUsername(string? username)
    {
        if (username is null || username.Length > RepositoryName.MaxUsernameLength)
        {
            return null;
        }

        var lower = username.ToLowerInvariant();
        return RepositoryName.IsValidUsername(lower) ? lower : null;
    }
}
