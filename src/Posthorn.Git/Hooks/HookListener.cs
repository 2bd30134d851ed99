using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Posthorn.Core.Pushes;
using Posthorn.Git.Refs;

namespace Posthorn.Git.Hooks;

/// <summary>
/// The loopback socket <see cref="TransactionHook"/> calls back into. Each receive-pack run opens a
/// <see cref="HookSession"/> with a random ticket; the hook sends the ticket and git's
/// "old new ref" lines, the session's callback journals them, and only then does the hook hear "ok".
/// A connection with an unknown ticket, or a callback that fails, is answered with a refusal, which
/// aborts git's transaction. Started on first use; thread-safe; register as a singleton.
/// </summary>
public sealed partial class HookListener(ILogger<HookListener> logger) : IDisposable
{
    // Bounds what one connection may send: a ticket line, then git's lines (a ref name is at most a few KiB).
    private const int MaxLineLength = 8 * 1024;
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<string, Func<IReadOnlyList<RefUpdate>, CancellationToken, Task>> sessions = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stopping = new();
    private readonly Lock gate = new();
    private TcpListener? listener;

    /// <summary>Opens a session whose ref moves go to <paramref name="onPrepared"/>; dispose it when receive-pack has exited.</summary>
    public HookSession Open(Func<IReadOnlyList<RefUpdate>, CancellationToken, Task> onPrepared)
    {
        var port = EnsureListening();
        var ticket = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        sessions[ticket] = onPrepared;
        return new HookSession(port, ticket, () => sessions.TryRemove(ticket, out _));
    }

    public void Dispose()
    {
        stopping.Cancel();
        lock (gate)
        {
            listener?.Stop();
        }

        // Not disposed: connections still being served link to its token (it owns no timer).
    }

    private int EnsureListening()
    {
        lock (gate)
        {
            if (listener is null)
            {
                ObjectDisposedException.ThrowIf(stopping.IsCancellationRequested, this);
                listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                _ = AcceptLoopAsync(listener);
            }

            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }

    private async Task AcceptLoopAsync(TcpListener server)
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await server.AcceptTcpClientAsync(stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
            timeout.CancelAfter(ReadTimeout);
            var stream = client.GetStream();
            string answer;
            try
            {
                answer = await AnswerAsync(stream, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or FormatException)
            {
                LogBadConnection(logger, e.Message);
                answer = "refused: the hook's message was incomplete";
            }

            try
            {
                await stream.WriteAsync(Encoding.UTF8.GetBytes(answer + "\n"), CancellationToken.None).ConfigureAwait(false);
            }
            catch (IOException)
            {
                // The hook is gone (git was killed); its transaction aborted with it.
            }
        }
    }

    private async Task<string> AnswerAsync(Stream stream, CancellationToken ct)
    {
        // Read the whole message before answering: closing with unread input would reset the
        // connection and the hook would lose the answer.
        var reader = new LineReader(stream, MaxLineLength);
        var ticket = await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } first ? Encoding.ASCII.GetString(first) : null;
        var updates = new List<RefUpdate>();
        string? refusal = null;
        while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line && !line.AsSpan().SequenceEqual("."u8))
        {
            // githooks(5), reference-transaction: "<old-value> SP <new-value> SP <ref-name> LF".
            var oldEnd = Array.IndexOf(line, (byte)' ');
            var newEnd = oldEnd < 0 ? -1 : Array.IndexOf(line, (byte)' ', oldEnd + 1);
            if (newEnd < 0)
            {
                throw new FormatException($"unexpected line from the reference-transaction hook: {RefName.Shown(line)}");
            }

            // HEAD shows up beside the branch it names (its reflog moves too); only real refs are journaled.
            var name = line.AsSpan(newEnd + 1);
            if (!name.StartsWith("refs/"u8))
            {
                continue;
            }

            // Callers refuse such names earlier, with a message their client shows; this is the
            // guarantee behind them: a name that cannot be recorded exactly is never journaled, and
            // no ref gets one. Its deletion goes ahead: the readers leave such refs out, so it was
            // never recorded and there is nothing to announce.
            var newId = Encoding.ASCII.GetString(line, oldEnd + 1, newEnd - oldEnd - 1);
            if (RefName.WhyNotStorable(name) is { } why)
            {
                if (newId.AsSpan().ContainsAnyExcept('0'))
                {
                    refusal ??= $"refused: the ref name {RefName.Shown(name)} {why}";
                }

                continue;
            }

            updates.Add(new RefUpdate(Encoding.UTF8.GetString(name), Encoding.ASCII.GetString(line, 0, oldEnd), newId));
        }

        if (ticket is null || !sessions.TryGetValue(ticket, out var onPrepared))
        {
            return "refused: unknown push";
        }

        if (refusal is not null)
        {
            LogRefused(logger, refusal);
            return refusal;
        }

        try
        {
            await onPrepared(updates, CancellationToken.None).ConfigureAwait(false);
            return "ok";
        }
        catch (Exception e)
        {
            LogJournalFailed(logger, e, updates.Count);
            return "refused: the server could not record the push";
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A ref transaction was refused: {Refusal}")]
    private static partial void LogRefused(ILogger logger, string refusal);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A reference-transaction hook connection was cut short: {Reason}")]
    private static partial void LogBadConnection(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Journaling {Count} ref moves failed; git's transaction is aborted")]
    private static partial void LogJournalFailed(ILogger logger, Exception exception, int count);
}
