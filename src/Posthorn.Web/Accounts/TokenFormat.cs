using System.Security.Cryptography;
using System.Text;

namespace Posthorn.Web.Accounts;

/// <summary>
/// Personal access tokens: "ph_" + 32 random bytes (base64url). Only a SHA-256 hash is stored: the
/// token is already high-entropy, so a slow hash would add nothing but latency to every git request.
/// The "ph_" prefix lets secret scanners and our own Basic-auth path recognise a token.
/// </summary>
public static class TokenFormat
{
    public const string Prefix = "ph_";

    public static string NewToken() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>Tokens are 46 characters; anything far outside that is not worth hashing.</summary>
    public static bool LooksLikeToken(string value) => value.StartsWith(Prefix, StringComparison.Ordinal) && value.Length is > 20 and <= 100;

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Enough of the token to recognise it in a list, far too little to use it.</summary>
    public static string DisplayPrefix(string token) => token[..Math.Min(token.Length, Prefix.Length + 5)];

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
