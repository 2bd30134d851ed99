using System.Text;

namespace Posthorn.Git.SmartHttp;

/// <summary>pkt-line encoding (Documentation/technical/protocol-common.txt).</summary>
public static class PktLine
{
    public static readonly byte[] Flush = "0000"u8.ToArray();

    /// <summary>One data pkt-line: four hex digits of total length, then the payload.</summary>
    public static byte[] Encode(string payload) => Encode(Encoding.UTF8.GetBytes(payload));

    /// <inheritdoc cref="Encode(string)"/>
    public static byte[] Encode(ReadOnlySpan<byte> payload) =>
        [.. Encoding.ASCII.GetBytes((payload.Length + 4).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)), .. payload];

    /// <summary>"# service=git-upload-pack\n" followed by a flush-pkt, the start of a smart v0 advertisement.</summary>
    public static byte[] ServiceAnnouncement(string serviceName) => [.. Encode($"# service={serviceName}\n"), .. Flush];
}
