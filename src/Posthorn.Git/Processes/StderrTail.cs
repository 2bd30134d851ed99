using System.Text;

namespace Posthorn.Git.Processes;

/// <summary>
/// Drains a process's standard error to the end, keeping only the last <see cref="Capacity"/> bytes:
/// git can print megabytes of progress, and an undrained stderr pipe blocks it forever.
/// </summary>
internal sealed class StderrTail
{
    public const int Capacity = 4096;

    private readonly byte[] ring = new byte[Capacity];
    private long written;

    public async Task DrainAsync(Stream stderr, CancellationToken ct)
    {
        var buffer = new byte[4096];
        int read;
        while ((read = await stderr.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                ring[(written + i) % Capacity] = buffer[i];
            }

            written += read;
        }
    }

    public override string ToString()
    {
        var length = (int)Math.Min(written, Capacity);
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = ring[(written - length + i) % Capacity];
        }

        return Encoding.UTF8.GetString(bytes).Trim();
    }
}
