using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Posthorn.Cli;

/// <summary>
/// What --urls asks to listen on: which entries mean "every address", what to publish when they do,
/// and a check that each port is free before anything starts (hosted services, the delivery
/// dispatcher among them, start before Kestrel binds, so a taken port used to start delivering
/// and then die with a stack trace).
/// </summary>
public static partial class ListenAddresses
{
    public static IReadOnlyList<string> Split(string urls) => urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>True for 0.0.0.0, [::], * and +: listening everywhere, which is no address anyone can use.</summary>
    public static bool IsWildcard(string url) => Wildcard().IsMatch(url);

    /// <summary>The URL with its wildcard host replaced by <paramref name="host"/>.</summary>
    public static string WithHost(string url, string host) => Wildcard().Replace(url, m => $"{m.Groups["scheme"].Value}{host}");

    /// <exception cref="UsageException">A port is taken.</exception>
    public static void EnsureFree(string urls)
    {
        foreach (var url in Split(urls))
        {
            var concrete = WithHost(url, "0.0.0.0");
            if (!Uri.TryCreate(concrete, UriKind.Absolute, out var uri) || uri.Port <= 0)
            {
                continue;
            }

            IPAddress? address = uri.IsLoopback && !IPAddress.TryParse(uri.Host.Trim('[', ']'), out _) ? IPAddress.Loopback
                : IPAddress.TryParse(uri.Host.Trim('[', ']'), out var parsed) ? parsed : null;
            if (address is not null && !CanBind(address, uri.Port))
            {
                throw new UsageException($"{url}: port {uri.Port} is already in use (another posthorn or program listens there); stop it or choose another port with --urls.");
            }
        }
    }

    private static bool CanBind(IPAddress address, int port)
    {
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (!OperatingSystem.IsWindows())
        {
            // SO_REUSEADDR alone, as Kestrel sets it: a port with connections in TIME_WAIT after a restart is free, one with a listener is not.
            socket.SetRawSocketOption(1, 2, BitConverter.GetBytes(1));
        }

        try
        {
            socket.Bind(new IPEndPoint(address, port));
            socket.Listen();
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return false;
        }
        catch (SocketException)
        {
            // Not ours to judge (an address this machine does not have, say): Kestrel reports it.
            return true;
        }
    }

    [GeneratedRegex(@"^(?<scheme>https?://)(0\.0\.0\.0|\[::\]|\*|\+)(?=[:/]|$)", RegexOptions.IgnoreCase)]
    private static partial Regex Wildcard();
}
