using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Posthorn.EndToEnd.Support;

/// <summary>
/// A smart HTTP POST sent by hand over a socket bound to a chosen loopback address (127.0.0.0/8 is
/// all loopback on Linux, so each address is a different client to the server): headers and as
/// much body as the test wants, then nothing, for as long as the test holds it open.
/// </summary>
public sealed class SlowGitRequest : IAsyncDisposable
{
    private readonly TcpClient tcp;
    private readonly NetworkStream stream;
    private readonly Task<int> serverSpoke;

    private SlowGitRequest(TcpClient tcp)
    {
        this.tcp = tcp;
        stream = tcp.GetStream();
        serverSpoke = stream.ReadAsync(new byte[4096]).AsTask();
    }

    /// <summary>True once the server answered or closed the connection.</summary>
    public bool Ended => serverSpoke.IsCompleted;

    /// <param name="path">e.g. /alice/project.git/git-upload-pack</param>
    /// <param name="service">upload-pack or receive-pack</param>
    public static async Task<SlowGitRequest> StartAsync(int port, string localAddress, string path, string service, string? authorization = null)
    {
        var tcp = new TcpClient(new IPEndPoint(IPAddress.Parse(localAddress), 0));
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var request = new SlowGitRequest(tcp);
        // Announced lengths the server accepts up front: a fetch negotiation is capped far lower than a push (Git:MaxFetchRequestBytes).
        var length = service == "upload-pack" ? 5_000_000 : 100_000_000;
        var headers = new StringBuilder()
            .Append($"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n")
            .Append($"Content-Type: application/x-git-{service}-request\r\nContent-Length: {length}\r\n");
        if (authorization is not null)
        {
            headers.Append($"Authorization: {authorization}\r\n");
        }

        await request.SendAsync(headers.Append("\r\n").ToString());
        return request;
    }

    /// <summary>Sends more body; false when the server has already ended the exchange.</summary>
    public async Task<bool> SendAsync(string text)
    {
        if (Ended)
        {
            return false;
        }

        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(text));
            await stream.FlushAsync();
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// Sends <paramref name="chunk"/> every <paramref name="pace"/> (a pace, not a synchronisation)
    /// until the server ends the exchange or <paramref name="deadline"/> passes; true if the server ended it.
    /// </summary>
    public async Task<bool> TrickleUntilCutAsync(string chunk, TimeSpan pace, TimeSpan deadline)
    {
        var end = DateTime.UtcNow + deadline;
        while (DateTime.UtcNow < end)
        {
            if (!await SendAsync(chunk))
            {
                return true;
            }

            await Task.WhenAny(serverSpoke, Task.Delay(pace));
        }

        return Ended;
    }

    /// <summary>A pkt-line (4 hex digits of length, then the payload).</summary>
    public static string PktLine(string payload) => $"{payload.Length + 4:x4}{payload}";

    public ValueTask DisposeAsync()
    {
        tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
