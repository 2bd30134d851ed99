using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Posthorn.Delivery.Targets;

/// <summary>
/// The outbound connection policy, enforced where the socket opens (as Gitea does) rather than on
/// the URL: the host is resolved here, every candidate address is checked, and the socket connects
/// to exactly the address checked, so a DNS answer that changes between check and use (rebinding)
/// or a numeric form like 0x7f000001 cannot slip a private address through. Thread-safe.
/// </summary>
public sealed class TargetGuard(IOptions<DeliveryOptions> options)
{
    private readonly bool allowPrivate = options.Value.AllowPrivateTargets;

    /// <summary>For <see cref="SocketsHttpHandler.ConnectCallback"/>.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var host = context.DnsEndPoint.Host;
        var port = context.DnsEndPoint.Port;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, ct).ConfigureAwait(false);

        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound); // a DNS problem: may well pass, so retryable
        }

        var allowed = allowPrivate ? addresses : Array.FindAll(addresses, a => AddressRules.ForbiddenKind(a) is null);
        if (allowed.Length == 0)
        {
            throw Refusal(host, addresses);
        }

        Exception? last = null;
        foreach (var address in allowed)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), ct).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    private static TargetRefusedException Refusal(string host, IPAddress[] addresses)
    {
        var first = addresses[0];
        return new TargetRefusedException(
            $"Refused to connect to {host} ({first}, a {AddressRules.ForbiddenKind(first)} address): " +
            "only public addresses are allowed unless the operator sets Delivery:AllowPrivateTargets.");
    }
}
