using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Posthorn.Storage.Secrets;

/// <summary>
/// Encrypts the columns that hold credentials (a POST service's URL, which may carry a password
/// or token, and its signing secrets) with ASP.NET Core Data Protection. Stored values carry
/// <see cref="Prefix"/>; a value without it is a row written before encryption at rest and is
/// read as it is (a service URL starts with "http", a secrets list with "[", so neither can be
/// mistaken for ciphertext). Thread-safe.
/// </summary>
public sealed class SecretColumns(IDataProtector protector)
{
    /// <summary>Marks a protected value; the version lets a later scheme coexist with this one.</summary>
    public const string Prefix = "dp1:";

    /// <summary>The Data Protection purpose string: changing it would make every stored value unreadable.</summary>
    public const string Purpose = "Posthorn.Storage.PostServices.v1";

    /// <summary>
    /// Read in place of a URL whose key is gone (a database restored without its key ring): its
    /// deliveries fail visibly (".invalid" never resolves) instead of every read of the table failing.
    /// </summary>
    public const string UnreadableUrl = "http://key-ring-missing.invalid/";

    public string Protect(string plain) => Prefix + protector.Protect(plain);

    /// <summary><see cref="Reveal"/>, or <paramref name="fallback"/> when the value cannot be decrypted with this key ring.</summary>
    public string RevealOr(string stored, string fallback)
    {
        try
        {
            return Reveal(stored);
        }
        catch (CryptographicException)
        {
            return fallback;
        }
    }

    public string Reveal(string stored) =>
        IsProtected(stored) ? protector.Unprotect(stored[Prefix.Length..]) : stored;

    public static bool IsProtected(string stored) => stored.StartsWith(Prefix, StringComparison.Ordinal);
}
