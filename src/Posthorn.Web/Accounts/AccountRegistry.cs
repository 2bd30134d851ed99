using Posthorn.Core;
using Posthorn.Core.Accounts;
using Posthorn.Core.Repositories;

namespace Posthorn.Web.Accounts;

/// <summary>Creating accounts and tokens, shared by the command line, the API and the pages.</summary>
public sealed class AccountRegistry(IAccountStore accounts, PasswordHashing hashing, TimeProvider time)
{
    public const int MinimumPasswordLength = 8;

    /// <exception cref="ValidationException">Bad username, e-mail or password.</exception>
    /// <exception cref="ConflictException">Username or e-mail taken.</exception>
    public async Task<Account> CreateAsync(string username, string email, string password, bool isSiteAdmin, CancellationToken ct)
    {
        if (!RepositoryName.IsValidUsername(username))
        {
            throw new ValidationException("username", "Usernames are 1–39 characters: lower-case letters, digits, '-' and '_', starting with a letter or digit.");
        }

        if (string.IsNullOrWhiteSpace(email) || !email.Contains('@', StringComparison.Ordinal) || email.Length > 254)
        {
            throw new ValidationException("email", "An e-mail address like name@example.com is required.");
        }

        if (password.Length < MinimumPasswordLength)
        {
            throw new ValidationException("password", $"Passwords need at least {MinimumPasswordLength} characters.");
        }

        // Looked up first so each mistake has its own sentence; the store's unique indexes still decide a race.
        if (await accounts.FindAccountAsync(username, ct) is not null)
        {
            throw new ConflictException($"The username '{username}' is taken; choose another.");
        }

        if ((await accounts.FindUsernamesByEmailAsync([email.Trim()], ct)).Count > 0)
        {
            throw new ConflictException($"The e-mail address {email.Trim()} already belongs to another account.");
        }

        return await accounts.CreateAccountAsync(username, email.Trim(), hashing.Hash(password), isSiteAdmin, time.GetUtcNow(), ct);
    }

    /// <summary>Creates a token and returns it in clear: the only time anyone sees it.</summary>
    public async Task<(AccessToken Token, string Secret)> CreateTokenAsync(Account account, string name, CancellationToken ct)
    {
        // Control characters (a trailing "\n", say) would reach logs and listings as line breaks.
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100 || name.Any(char.IsControl))
        {
            throw new ValidationException("name", "A token needs a name of 1–100 characters, without control characters.");
        }

        var secret = TokenFormat.NewToken();
        var token = await accounts.CreateTokenAsync(account.Id, name.Trim(), TokenFormat.DisplayPrefix(secret), TokenFormat.Hash(secret), time.GetUtcNow(), ct);
        return (token, secret);
    }
}
