namespace Posthorn.Git.SmartHttp;

/// <summary>
/// Passes a request body through while checking the pkt-line framing of its first section, up to
/// the first flush-pkt (Documentation/technical/protocol-common.txt: four hex digits of length
/// including themselves, "0000" flush, "0001" delim and "0002" response-end in v2, at most 65520).
/// Everything after that (receive-pack's PACK, upload-pack's further rounds) is git's to judge.
/// Without this, garbage makes git die with "protocol error" and the client gets an opaque 500.
/// Given <paramref name="commands"/> (receive-pack), the section's packets are handed to it as they
/// pass, and a refused ref name stops the stream at the section's flush-pkt, before git sees it.
/// </summary>
internal sealed class PktLineCheckingStream(Stream inner, ReceiveCommands? commands = null) : ReadOnlyForwardingStream
{
    private const int MaxPacketLength = 65520;

    private int headerValue;
    private int headerDigits;
    private int payloadLeft;
    private bool checkedFirstSection;
    private bool sawAnyByte;
    private int packets;
    private int firstSectionPackets = -1;

    /// <summary>
    /// How many data pkt-lines the first section held (receive-pack: one per ref command), once its
    /// flush-pkt has been read; -1 before. Safe to read from another thread.
    /// </summary>
    public int FirstSectionPackets => Volatile.Read(ref firstSectionPackets);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (!checkedFirstSection)
        {
            if (read == 0)
            {
                throw new MalformedRequestException(sawAnyByte ? "The request ends inside its first pkt-line section." : "The request body is empty.");
            }

            sawAnyByte = true;
            Check(buffer.Span[..read]);
        }

        return read;
    }

    private void Check(ReadOnlySpan<byte> bytes)
    {
        for (var i = 0; i < bytes.Length && !checkedFirstSection; i++)
        {
            if (payloadLeft > 0)
            {
                var skip = Math.Min(payloadLeft, bytes.Length - i);
                commands?.Write(bytes.Slice(i, skip));
                payloadLeft -= skip;
                i += skip - 1;
                continue;
            }

            var digit = HexValue(bytes[i]);
            if (digit < 0)
            {
                throw new MalformedRequestException("The request is not a pkt-line stream (bad length character).");
            }

            headerValue = (headerValue << 4) | digit;
            if (++headerDigits < 4)
            {
                continue;
            }

            var length = headerValue;
            headerValue = headerDigits = 0;
            if (length == 0)
            {
                checkedFirstSection = true;
                Volatile.Write(ref firstSectionPackets, packets);
                if (commands is { Refused: not null })
                {
                    throw new RefusedRefNameException(commands);
                }
            }
            else if (length is 3 or > MaxPacketLength)
            {
                throw new MalformedRequestException("The request contains a pkt-line with an invalid length.");
            }
            else if (length >= 4)
            {
                payloadLeft = length - 4;
                packets++;
                commands?.Begin(payloadLeft);
            }
        }
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
