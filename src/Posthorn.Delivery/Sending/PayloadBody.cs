using System.Text;
using Posthorn.Core.PostServices;

namespace Posthorn.Delivery.Sending;

/// <summary>The exact bytes POSTed for a payload and their media type; these bytes are also what is signed.</summary>
public sealed record PayloadBody(byte[] Bytes, string MediaType, string? CharSet)
{
    /// <summary>The body in the format's default way: bitbucket-post form-encoded, every other format JSON.</summary>
    public static PayloadBody For(PayloadFormat format, string payloadJson) => For(format, formEncoded: false, payloadJson);

    /// <summary>The body in <paramref name="format"/>, or GitHub's form variant when <paramref name="formEncoded"/>; sent through <see cref="PayloadBodies"/>.</summary>
    internal static PayloadBody For(PayloadFormat format, bool formEncoded, string payloadJson)
    {
        ArgumentNullException.ThrowIfNull(payloadJson);
        return format == PayloadFormat.BitbucketPost || (format == PayloadFormat.Github && formEncoded)
            ? new PayloadBody(Encoding.ASCII.GetBytes("payload=" + FormEncode(payloadJson)), "application/x-www-form-urlencoded", null)
            : new PayloadBody(Encoding.UTF8.GetBytes(payloadJson), "application/json", "utf-8");
    }

    /// <summary>
    /// Encodes as FormUrlEncodedContent does (RFC 3986 escaping of UTF-8, then %20 as '+'), so the
    /// original service's receivers (PHP $_POST, Django request.POST) decode it unchanged.
    /// </summary>
    private static string FormEncode(string value) => Uri.EscapeDataString(value).Replace("%20", "+", StringComparison.Ordinal);
}
