using Microsoft.AspNetCore.Identity;
using Posthorn.Core.Accounts;

namespace Posthorn.Web.Accounts;

/// <summary>ASP.NET Core Identity's PBKDF2 hasher (versioned format, so stronger settings can roll in later). Thread-safe.</summary>
public sealed class PasswordHashing
{
    private readonly PasswordHasher<Account> hasher = new();

    public string Hash(string password) => hasher.HashPassword(null!, password);

    public bool Verify(string hash, string password) =>
        hasher.VerifyHashedPassword(null!, hash, password) is PasswordVerificationResult.Success or PasswordVerificationResult.SuccessRehashNeeded;
}
