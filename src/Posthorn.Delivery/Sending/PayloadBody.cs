using System.Text;
using Posthorn.Core.PostServices;

namespace Posthorn.Delivery.Sending;

/// <summary>The exact bytes POSTed for a payload and their media type; these bytes are also what is signed.</summary>
public sealed record PayloadBody(byte[] Bytes, string MediaType, string? CharSet)
{
    public static PayloadBody For(PayloadFormat format, string payloadJson)
    {
        ArgumentNullException.ThrowIfNull(payloadJson);
        return format == PayloadFormat.Json
            ? new PayloadBody(Encoding.UTF8.GetBytes(payloadJson), "application/json", "utf-8")
            : new PayloadBody(Encoding.ASCII.GetBytes("payload=" + FormEncode(payloadJson)), "application/x-www-form-urlencoded", null);
    }

    /// <summary>
    /// Encodes as FormUrlEncodedContent does (RFC 3986 escaping of UTF-8, then %20 as '+'), so the
    /// original service's receivers (PHP $_POST, Django request.POST) decode it unchanged.
    /// </summary>
    private static string FormEncode(string value) => Uri.EscapeDataString(value).Replace("%20", "+", StringComparison.Ordinal);
}
