namespace Posthorn.Git.Hooks;

/// <summary>Reads LF-terminated lines from a stream, refusing any longer than a bound (so a stranger cannot make it buffer without end).</summary>
internal sealed class LineReader(Stream stream, int maxLength)
{
    private readonly byte[] buffer = new byte[4096];
    private readonly MemoryStream line = new();
    private int start;
    private int end;

    /// <returns>
    /// The next line's bytes without its LF, or null at the end of the stream. Bytes, not text: a ref
    /// name need not be UTF-8, and decoding it with replacement characters would hide that.
    /// </returns>
    /// <exception cref="FormatException">A line is longer than the bound.</exception>
    public async Task<byte[]?> ReadLineAsync(CancellationToken ct)
    {
        line.SetLength(0);
        while (true)
        {
            if (start == end)
            {
                start = 0;
                end = await stream.ReadAsync(buffer, ct).ConfigureAwait(false);
                if (end == 0)
                {
                    return line.Length == 0 ? null : line.ToArray();
                }
            }

            var newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
            var stop = newline < 0 ? end : newline;
            line.Write(buffer, start, stop - start);
            start = newline < 0 ? end : newline + 1;
            if (line.Length > maxLength)
            {
                throw new FormatException($"a line longer than {maxLength} bytes");
            }

            if (newline >= 0)
            {
                return line.ToArray();
            }
        }
    }
}
