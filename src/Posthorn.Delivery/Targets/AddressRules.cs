using System.Net;
using System.Net.Sockets;

namespace Posthorn.Delivery.Targets;

/// <summary>
/// Which resolved addresses are not the public internet (RFC 6890 special-purpose registries), so
/// a post service URL cannot be pointed at this host, its network or a cloud metadata endpoint.
/// IPv4 embedded in IPv6 (mapped ::ffff:0:0/96, translated ::ffff:0:0:0/96, compatible, NAT64
/// 64:ff9b::/96, 6to4 2002::/16, Teredo 2001::/32) is judged as the IPv4 it carries: a name that
/// resolves to 64:ff9b::7f00:1 reaches 127.0.0.1 through a NAT64 gateway just as surely.
/// </summary>
public static class AddressRules
{
    private static readonly (IPAddress Network, int Bits, string Kind)[] ForbiddenV4 =
    [
        (IPAddress.Parse("0.0.0.0"), 8, "unspecified (\"this network\")"),
        (IPAddress.Parse("10.0.0.0"), 8, "private"),
        (IPAddress.Parse("100.64.0.0"), 10, "shared (carrier-grade NAT)"),
        (IPAddress.Parse("127.0.0.0"), 8, "loopback"),
        (IPAddress.Parse("169.254.169.254"), 32, "cloud metadata"),
        (IPAddress.Parse("169.254.0.0"), 16, "link-local"),
        (IPAddress.Parse("172.16.0.0"), 12, "private"),
        (IPAddress.Parse("192.0.0.0"), 24, "IETF protocol assignment"),
        (IPAddress.Parse("192.0.2.0"), 24, "documentation"),
        (IPAddress.Parse("192.88.99.0"), 24, "6to4 relay anycast"),
        (IPAddress.Parse("192.168.0.0"), 16, "private"),
        (IPAddress.Parse("198.18.0.0"), 15, "benchmarking"),
        (IPAddress.Parse("198.51.100.0"), 24, "documentation"),
        (IPAddress.Parse("203.0.113.0"), 24, "documentation"),
        (IPAddress.Parse("224.0.0.0"), 4, "multicast"),
        (IPAddress.Parse("240.0.0.0"), 4, "reserved or broadcast"),
    ];

    private static readonly (IPAddress Network, int Bits, string Kind)[] ForbiddenV6 =
    [
        (IPAddress.Parse("fd00:ec2::254"), 128, "cloud metadata"),
        (IPAddress.Parse("::1"), 128, "loopback"),
        (IPAddress.Parse("::"), 128, "unspecified"),
        (IPAddress.Parse("100::"), 64, "discard-only"),
        (IPAddress.Parse("64:ff9b:1::"), 48, "local-use NAT64 (RFC 8215)"),
        (IPAddress.Parse("2001:db8::"), 32, "documentation"),
        (IPAddress.Parse("fc00::"), 7, "private (unique local)"),
        (IPAddress.Parse("fe80::"), 10, "link-local"),
        (IPAddress.Parse("fec0::"), 10, "site-local"),
        (IPAddress.Parse("ff00::"), 8, "multicast"),
    ];

    /// <summary>Why <paramref name="address"/> is not a public target (e.g. "loopback"), or null when it is.</summary>
    public static string? ForbiddenKind(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (EmbeddedV4(address) is { } v4)
            {
                return ForbiddenKind(v4) is { } kind ? $"{kind}, embedded in IPv6" : null;
            }

            return Match(address, ForbiddenV6);
        }

        return Match(address, ForbiddenV4);
    }

    private static IPAddress? EmbeddedV4(IPAddress v6)
    {
        if (v6.IsIPv4MappedToIPv6)
        {
            return v6.MapToIPv4();
        }

        var b = v6.GetAddressBytes();
        var firstTwelveZero = b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0;
        var isCompatible = firstTwelveZero && (b[12] | b[13]) != 0; // ::a.b.c.d (deprecated), but not :: or ::1
        var isNat64 = b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0;
        var isTranslated = b.AsSpan(0, 8).IndexOfAnyExcept((byte)0) < 0 && b[8] == 0xff && b[9] == 0xff && b[10] == 0 && b[11] == 0; // ::ffff:0:a.b.c.d (SIIT)
        if (isCompatible || isNat64 || isTranslated)
        {
            return new IPAddress(b.AsSpan(12, 4));
        }

        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0)
        {
            return TeredoV4(b);
        }

        return b[0] == 0x20 && b[1] == 0x02 ? new IPAddress(b.AsSpan(2, 4)) : null; // 6to4: 2002:a.b.c.d::/48
    }

    /// <summary>
    /// Teredo (RFC 4380): 2001:0:server-v4:flags:port:~client-v4. Traffic reaches both the server and
    /// the (bit-inverted) client, so the first non-public one of the two decides; a public pair gives the client.
    /// </summary>
    private static IPAddress TeredoV4(byte[] b)
    {
        var server = new IPAddress(b.AsSpan(4, 4));
        Span<byte> client = [(byte)~b[12], (byte)~b[13], (byte)~b[14], (byte)~b[15]];
        return Match(server, ForbiddenV4) is null ? new IPAddress(client) : server;
    }

    private static string? Match(IPAddress address, (IPAddress Network, int Bits, string Kind)[] ranges)
    {
        var bytes = address.GetAddressBytes();
        foreach (var (network, bits, kind) in ranges)
        {
            if (InPrefix(bytes, network.GetAddressBytes(), bits))
            {
                return kind;
            }
        }

        return null;
    }

    private static bool InPrefix(byte[] address, byte[] network, int bits)
    {
        var whole = bits / 8;
        if (!address.AsSpan(0, whole).SequenceEqual(network.AsSpan(0, whole)))
        {
            return false;
        }

        var rest = bits % 8;
        var mask = (byte)(0xFF << (8 - rest));
        return rest == 0 || (address[whole] & mask) == (network[whole] & mask);
    }
}
