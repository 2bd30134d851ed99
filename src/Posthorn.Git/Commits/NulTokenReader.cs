using System.Buffers;
using System.Text;

namespace Posthorn.Git.Commits;

/// <summary>
/// Reads NUL-terminated tokens from git's <c>-z</c> output as it streams. Bytes are decoded as
/// UTF-8 with replacement characters, so a commit with invalid UTF-8 still yields valid JSON.
/// Only one token is held at a time.
/// </summary>
internal sealed class NulTokenReader(Stream stream)
{
    private static readonly Encoding Utf8 = new UTF8Encoding(false, throwOnInvalidBytes: false);

    private readonly byte[] buffer = new byte[64 * 1024];
    private readonly ArrayBufferWriter<byte> token = new(256);
    private int start;
    private int end;

    /// <summary>The next token, or null at the end of the stream (a final unterminated token is returned too).</summary>
    public async ValueTask<string?> ReadAsync(CancellationToken ct)
    {
        token.ResetWrittenCount();
        while (true)
        {
            var nul = Array.IndexOf(buffer, (byte)0, start, end - start);
            if (nul >= 0)
            {
                token.Write(buffer.AsSpan(start, nul - start));
                start = nul + 1;
                return Utf8.GetString(token.WrittenSpan);
            }

            token.Write(buffer.AsSpan(start, end - start));
            start = 0;
            end = await stream.ReadAsync(buffer, ct).ConfigureAwait(false);
            if (end == 0)
            {
                return token.WrittenCount > 0 ? Utf8.GetString(token.WrittenSpan) : null;
            }
        }
    }
}
