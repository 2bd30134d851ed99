namespace Posthorn.Core.Payloads;

/// <summary>
/// How many bytes a payload document takes on the wire in its larger format: bitbucket-post's
/// <c>payload=</c> plus the form encoding (RFC 3986 unreserved bytes and the space stay one byte,
/// every other UTF-8 byte becomes %XX). The json format sends the UTF-8 bytes themselves, never more.
/// </summary>
public static class PayloadWireSize
{
    /// <summary>The form field's name and '='.</summary>
    public const int Prefix = 8;

    /// <summary>The bytes <paramref name="utf8"/> becomes once form-encoded, without the prefix.</summary>
    public static long Of(ReadOnlySpan<byte> utf8)
    {
        long size = 0;
        foreach (var b in utf8)
        {
            size += b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9')
                or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~' or (byte)' ' ? 1 : 3;
        }

        return size;
    }
}
