using System.Security.Cryptography;
using System.Text;

namespace Posthorn.Delivery.Signing;

/// <summary>
/// Standard Webhooks signatures (https://www.standardwebhooks.com/, "Signature scheme"):
/// webhook-signature = space-separated "v1,{base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}"))}",
/// one per secret so receivers keep verifying while a secret is rotated. The body signed is the
/// exact bytes sent. Secrets of the form "whsec_{base64}" use the decoded bytes as the key, as the
/// spec and its reference libraries do, so receivers using those libraries must be given that form;
/// any other secret is used as its UTF-8 bytes (for hand-written receivers). Stateless and thread-safe.
/// </summary>
public static class WebhookSigner
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";

    private const string SecretPrefix = "whsec_";

    /// <summary>The webhook-signature header value for <paramref name="body"/>, one "v1,..." per secret.</summary>
    public static string Sign(string id, long unixSeconds, ReadOnlySpan<byte> body, IReadOnlyList<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentOutOfRangeException.ThrowIfZero(secrets.Count);

        var prefix = Encoding.UTF8.GetBytes($"{id}.{unixSeconds}.");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));

        var signatures = new StringBuilder();
        foreach (var secret in secrets)
        {
            if (signatures.Length > 0)
            {
                signatures.Append(' ');
            }

            signatures.Append("v1,").Append(Convert.ToBase64String(HMACSHA256.HashData(KeyOf(secret), content)));
        }

        return signatures.ToString();
    }

    /// <summary>The HMAC key a secret stands for: base64-decoded after "whsec_", otherwise its UTF-8 bytes.</summary>
    public static byte[] KeyOf(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (secret.StartsWith(SecretPrefix, StringComparison.Ordinal))
        {
            var encoded = secret[SecretPrefix.Length..];
            var buffer = new byte[encoded.Length];
            if (Convert.TryFromBase64String(encoded, buffer, out var written))
            {
                return buffer[..written];
            }
        }

        return Encoding.UTF8.GetBytes(secret);
    }
}
