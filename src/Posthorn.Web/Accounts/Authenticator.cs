using Posthorn.Core.Accounts;

namespace Posthorn.Web.Accounts;

/// <summary>Checks a username with a password or a personal access token (git and the API accept either).</summary>
public sealed class Authenticator(IAccountStore accounts, PasswordHashing hashing, TimeProvider time)
{
    public async Task<Account?> AuthenticateAsync(string username, string secret, CancellationToken ct)
    {
        if (TokenFormat.LooksLikeToken(secret))
        {
            // Like other forges, the username that goes with a token is not checked: git needs *some* username.
            var used = await accounts.UseTokenAsync(TokenFormat.Hash(secret), time.GetUtcNow(), ct);
            if (used is not null)
            {
                return used.Value.Account;
            }
        }

        var account = await accounts.FindAccountAsync(username, ct);
        return account is not null && hashing.Verify(account.PasswordHash, secret) ? account : null;
    }

    public async Task<Account?> AuthenticateTokenAsync(string token, CancellationToken ct)
    {
        var used = TokenFormat.LooksLikeToken(token) ? await accounts.UseTokenAsync(TokenFormat.Hash(token), time.GetUtcNow(), ct) : null;
        return used?.Account;
    }
}
