using Microsoft.AspNetCore.Identity;
using Posthorn.Core.Accounts;

namespace Posthorn.Web.Accounts;

/// <summary>ASP.NET Core Identity's PBKDF2 hasher (versioned format, so stronger settings can roll in later). Thread-safe.</summary>
public sealed class PasswordHashing
{
    private readonly IPasswordHasher<Account> hasher;
    private readonly Lazy<string> dummyHash;

    public PasswordHashing()
        : this(new PasswordHasher<Account>())
    {
    }

    /// <param name="hasher">The hasher; tests pass a counting wrapper around the real one.</param>
    public PasswordHashing(IPasswordHasher<Account> hasher)
    {
        this.hasher = hasher;
        dummyHash = new Lazy<string>(() => hasher.HashPassword(null!, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(18))));
    }

    public string Hash(string password) => hasher.HashPassword(null!, password);

    public bool Verify(string hash, string password) =>
        hasher.VerifyHashedPassword(null!, hash, password) is PasswordVerificationResult.Success or PasswordVerificationResult.SuccessRehashNeeded;

    /// <summary>
    /// Spends what <see cref="Verify"/> spends, against a hash nobody's password matches, and fails:
    /// an unknown username then takes as long to refuse as a wrong password, so timing does not
    /// tell which usernames exist.
    /// </summary>
    public bool VerifyUnknownAccount(string password)
    {
        _ = hasher.VerifyHashedPassword(null!, dummyHash.Value, password);
        return false;
    }
}
