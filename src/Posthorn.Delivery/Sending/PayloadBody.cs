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
            ? new PayloadBody(FormBody(payloadJson), "application/x-www-form-urlencoded", null)
            : new PayloadBody(Encoding.UTF8.GetBytes(payloadJson), "application/json", "utf-8");
    }

    private static ReadOnlySpan<byte> FormPrefix => "payload="u8;

    private static ReadOnlySpan<byte> HexDigits => "0123456789ABCDEF"u8;

    /// <summary>
    /// "payload=" and the JSON encoded as FormUrlEncodedContent does (RFC 3986 escaping of UTF-8,
    /// upper-case hex, then ' ' as '+'), so the original service's receivers (PHP $_POST, Django
    /// request.POST) decode it unchanged. Written in one pass over the UTF-8 bytes: escaping to a
    /// string, replacing "%20" and encoding again was most of a push's CPU in the sender.
    /// </summary>
    private static byte[] FormBody(string json)
    {
        var utf8 = Encoding.UTF8.GetBytes(json); // a lone surrogate becomes U+FFFD, as Uri.EscapeDataString writes it
        var length = FormPrefix.Length;
        foreach (var b in utf8)
        {
            length += FormWidth[b];
        }

        var body = new byte[length];
        FormPrefix.CopyTo(body);
        var at = FormPrefix.Length;
        foreach (var b in utf8)
        {
            if (FormWidth[b] == 1)
            {
                body[at++] = b == (byte)' ' ? (byte)'+' : b;
            }
            else
            {
                body[at++] = (byte)'%';
                body[at++] = HexDigits[b >> 4];
                body[at++] = HexDigits[b & 0xF];
            }
        }

        return body;
    }

    /// <summary>
    /// The bytes each UTF-8 byte takes in the form body: 1 for RFC 3986's unreserved characters (the ones
    /// Uri.EscapeDataString leaves as they are) and for ' ' (written as '+'), 3 for every other byte
    /// (escaped). A table, because testing each byte against the character ranges was most of building
    /// a body.
    /// </summary>
    private static readonly byte[] FormWidth = BuildFormWidth();

    private static byte[] BuildFormWidth()
    {
        var widths = new byte[256];
        for (var b = 0; b < widths.Length; b++)
        {
            widths[b] = (byte)(b is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.' or '~' or ' ' ? 1 : 3);
        }

        return widths;
    }
}
