using System.Buffers;
using System.Text;

namespace Posthorn.Git.Processes;

/// <summary>
/// Drains a process's standard error to the end, keeping only the last <see cref="Capacity"/> bytes:
/// git can print megabytes of progress, and an undrained stderr pipe blocks it forever.
/// </summary>
internal sealed class StderrTail
{
    public const int Capacity = 4096;

    // Made on the first byte: most git commands a push runs print nothing on stderr, and every
    // spawn allocating 8 KB for nothing showed in the bytes allocated per push.
    private byte[]? ring;
    private long written;

    public async Task DrainAsync(Stream stderr, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            int read;
            while ((read = await stderr.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
            {
                ring ??= new byte[Capacity];
                for (var i = 0; i < read; i++)
                {
                    ring[(written + i) % Capacity] = buffer[i];
                }

                written += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public override string ToString()
    {
        if (ring is null)
        {
            return "";
        }

        var length = (int)Math.Min(written, Capacity);
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = ring[(written - length + i) % Capacity];
        }

        return Encoding.UTF8.GetString(bytes).Trim();
    }
}
