using System.Security.Cryptography;
using System.Text;

namespace Posthorn.Delivery.Signing;

/// <summary>
/// The native signatures of formats github and bitbucket-cloud: "sha256=" (or GitHub's older
/// "sha1=") and the lower-case hex HMAC of the exact body bytes, keyed with the secret's UTF-8 text as
/// GitHub does ("Validating webhook deliveries"), whatever its form (a "whsec_" secret is not decoded
/// here). These schemes carry one signature, so the service's first secret signs. Stateless and thread-safe.
/// </summary>
public static class HubSignature
{
    /// <summary>GitHub's current header, and Bitbucket Cloud's signature header name.</summary>
    public const string Sha256Header = "X-Hub-Signature-256";

    public const string LegacyHeader = "X-Hub-Signature";

    public static string Sha256(string secret, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
    }

    public static string Sha1(string secret, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
#pragma warning disable CA5350 // GitHub still sends and many receivers still check X-Hub-Signature (HMAC-SHA1); sha256 travels alongside.
        return "sha1=" + Convert.ToHexStringLower(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), body));
#pragma warning restore CA5350
    }
}
