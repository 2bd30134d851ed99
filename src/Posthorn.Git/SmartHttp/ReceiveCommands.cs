using System.Text;
using Posthorn.Git.Refs;

namespace Posthorn.Git.SmartHttp;

/// <summary>
/// The ref commands of a receive-pack request, taken from its first pkt-line section as it passes
/// to git (<see cref="PktLineCheckingStream"/>; pack-protocol.txt, "Reference Update Request"):
/// "old new name", the first followed by NUL and the client's capabilities. A command that would
/// create or move a ref whose name Posthorn cannot record exactly (<see cref="RefName.WhyNotStorable"/>)
/// makes the stream refuse the whole push before git has read all the commands, so no ref moves and the client is told why
/// (<see cref="RefusedPushReport"/>). Commands inside a push certificate have the same shape and are
/// checked too; the transaction hook refuses such a name anyway, this only lets the client hear why.
/// </summary>
internal sealed class ReceiveCommands
{
    private readonly List<byte[]> names = [];
    private byte[] packet = [];
    private int filled;

    /// <summary>Every command's ref name, as the client sent it.</summary>
    public IReadOnlyList<byte[]> Names => names;

    /// <summary>The capabilities the client asked for (empty until the first command arrives).</summary>
    public IReadOnlySet<string> Capabilities { get; private set; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The first name that cannot be recorded, and why; null while there is none.</summary>
    public (byte[] Name, string Why)? Refused { get; private set; }

    /// <summary>A data pkt-line of <paramref name="length"/> payload bytes starts; they follow through <see cref="Write"/>.</summary>
    public void Begin(int length)
    {
        packet = new byte[length];
        filled = 0;
        if (length == 0)
        {
            Parse(packet);
        }
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(packet.AsSpan(filled));
        filled += bytes.Length;
        if (filled == packet.Length)
        {
            Parse(packet);
        }
    }

    private void Parse(ReadOnlySpan<byte> line)
    {
        var nul = line.IndexOf((byte)0);
        if (nul >= 0)
        {
            if (Capabilities.Count == 0)
            {
                Capabilities = Encoding.ASCII.GetString(line[(nul + 1)..]).TrimEnd('\n').Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
            }

            line = line[..nul];
        }

        if (line.EndsWith("\n"u8))
        {
            line = line[..^1];
        }

        // "<old-id> SP <new-id> SP <name>", ids of 40 (SHA-1) or 64 (SHA-256) hex digits; anything else
        // (shallow lines, a certificate's header) is not a command.
        var idLength = line.IndexOf((byte)' ');
        if (idLength is not (40 or 64) || line.Length <= (2 * idLength) + 2 || line[(2 * idLength) + 1] != ' '
            || !RefName.IsLowerHex(line[..idLength]) || !RefName.IsLowerHex(line.Slice(idLength + 1, idLength)))
        {
            return;
        }

        var name = line[((2 * idLength) + 2)..].ToArray();
        names.Add(name);

        // Deleting such a ref is let through: it was never recorded, so there is nothing to announce.
        if (Refused is null && !IsZero(line.Slice(idLength + 1, idLength)) && RefName.WhyNotStorable(name) is { } why)
        {
            Refused = (name, why);
        }
    }

    private static bool IsZero(ReadOnlySpan<byte> id) => !id.ContainsAnyExcept((byte)'0');
}
