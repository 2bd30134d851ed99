using System.Buffers;
using System.Text;

namespace Posthorn.Git.Commits;

/// <summary>
/// Reads NUL-terminated tokens from git's <c>-z</c> output as it streams. Bytes are decoded as
/// UTF-8 with replacement characters, so a commit with invalid UTF-8 still yields valid JSON.
/// Only one token is held at a time, and at most a cap's worth of it: the rest of a longer token is
/// skipped in the stream, so a 100 MB commit message costs no more memory than the cap.
/// </summary>
internal sealed class NulTokenReader(Stream stream)
{
    /// <summary>The cap on tokens read without one of their own (hashes, names, dates, paths): far beyond any real one.</summary>
    public const int DefaultMaxBytes = 64 * 1024;

    private static readonly Encoding Utf8 = new UTF8Encoding(false, throwOnInvalidBytes: false);

    // The read size, not a cap: a token longer than the buffer spans reads. 16 KB (not 64) because one
    // reader is made per push's git log, and the buffer was most of what that allocated.
    private readonly byte[] buffer = new byte[16 * 1024];
    private readonly ArrayBufferWriter<byte> token = new(256);
    private int start;
    private int end;

    /// <summary>The next token, or null at the end of the stream (a final unterminated token is returned too).</summary>
    public async ValueTask<string?> ReadAsync(CancellationToken ct) => (await ReadAsync(DefaultMaxBytes, ct).ConfigureAwait(false))?.Text;

    /// <summary>The next token cut to at most <paramref name="maxBytes"/> UTF-8 bytes on a character boundary, or null at the end.</summary>
    public async ValueTask<NulToken?> ReadAsync(int maxBytes, CancellationToken ct)
    {
        token.ResetWrittenCount();
        var truncated = false;
        while (true)
        {
            var nul = Array.IndexOf(buffer, (byte)0, start, end - start);
            var length = (nul >= 0 ? nul : end) - start;
            var room = maxBytes - token.WrittenCount;
            if (length > room)
            {
                truncated = true;
            }

            token.Write(buffer.AsSpan(start, Math.Min(length, room)));
            if (nul >= 0)
            {
                start = nul + 1;
                return Finish(truncated);
            }

            start = 0;
            end = await stream.ReadAsync(buffer, ct).ConfigureAwait(false);
            if (end == 0)
            {
                return token.WrittenCount > 0 || truncated ? Finish(truncated) : null;
            }
        }
    }

    /// <summary>
    /// One whole token's bytes as this reader would return them with <paramref name="maxBytes"/>: for
    /// text read from the object itself rather than from git's output, so both read the same.
    /// </summary>
    public static NulToken Cut(ReadOnlySpan<byte> bytes, int maxBytes) =>
        Decode(bytes[..Math.Min(bytes.Length, maxBytes)], truncated: bytes.Length > maxBytes);

    private NulToken Finish(bool truncated) => Decode(token.WrittenSpan, truncated);

    private static NulToken Decode(ReadOnlySpan<byte> kept, bool truncated) =>
        new(Utf8.GetString(truncated ? kept[..CharBoundary(kept)] : kept), truncated);

    /// <summary>The length of <paramref name="bytes"/> without a trailing UTF-8 sequence the cut left incomplete.</summary>
    internal static int CharBoundary(ReadOnlySpan<byte> bytes)
    {
        var continuation = 0;
        while (continuation < 3 && continuation < bytes.Length && (bytes[^(continuation + 1)] & 0xC0) == 0x80)
        {
            continuation++;
        }

        var leadIndex = bytes.Length - continuation - 1;
        if (leadIndex < 0)
        {
            return bytes.Length;
        }

        var lead = bytes[leadIndex];
        var needed = lead switch
        {
            < 0x80 => 1,
            >= 0xC0 and < 0xE0 => 2,
            >= 0xE0 and < 0xF0 => 3,
            >= 0xF0 and < 0xF8 => 4,
            _ => 1,
        };
        return continuation + 1 >= needed ? bytes.Length : leadIndex;
    }
}
