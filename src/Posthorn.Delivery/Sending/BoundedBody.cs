using System.Buffers;
using System.Text;

namespace Posthorn.Delivery.Sending;

/// <summary>
/// Reads at most a fixed number of bytes of a response body and never the rest, so a receiver
/// answering with gigabytes costs one small buffer (the connection is dropped on dispose).
/// </summary>
public static class BoundedBody
{
    /// <summary>The first <paramref name="limit"/> bytes as UTF-8 text (marked when truncated), and whether it was.</summary>
    public static async Task<(string Text, bool Truncated)> ReadAsync(HttpContent content, int limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(content);
        var stream = await content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            // Pooled: a fresh limit-sized array per attempt was zeroed and collected thousands of times a second.
            var buffer = ArrayPool<byte>.Shared.Rent(limit + 1); // one extra byte tells "exactly limit" from "more"
            try
            {
                var read = 0;
                while (read < limit + 1)
                {
                    var n = await stream.ReadAsync(buffer.AsMemory(read, limit + 1 - read), ct).ConfigureAwait(false);
                    if (n == 0)
                    {
                        break;
                    }

                    read += n;
                }

                var truncated = read > limit;
                var text = Encoding.UTF8.GetString(buffer, 0, Math.Min(read, limit));
                return truncated ? (text + $"\n… [truncated after {limit} bytes]", true) : (text, false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
