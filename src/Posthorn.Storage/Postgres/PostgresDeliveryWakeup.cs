using Npgsql;
using Posthorn.Core.Deliveries;

namespace Posthorn.Storage.Postgres;

/// <summary>
/// Wakes this node's dispatcher when any node queues deliveries: one dedicated connection LISTENs
/// on <see cref="PostgresDialect.Channel"/> (the store NOTIFYs inside its transactions), and
/// <see cref="Notify"/> wakes locally. If the connection drops it reconnects, and wakes once
/// because notifications sent meanwhile were lost. Thread-safe; dispose to stop listening.
/// </summary>
public sealed class PostgresDeliveryWakeup : IDeliveryWakeup, IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);

    // Idle this long, the connection is probed so a silently dead socket is noticed.
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(30);

    private readonly NpgsqlDataSource dataSource;
    private readonly LocalDeliveryWakeup local = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly Task listening;

    public PostgresDeliveryWakeup(NpgsqlDataSource dataSource)
    {
        this.dataSource = dataSource;
        listening = Task.Run(() => ListenAsync(stopping.Token));
    }

    /// <summary>True while the LISTEN connection is up (for diagnostics and tests).</summary>
    public bool IsListening => isListening;

    private volatile bool isListening;

    public void Notify() => local.Notify();

    public Task WaitAsync(TimeSpan timeout, CancellationToken ct) => local.WaitAsync(timeout, ct);

    private async Task ListenAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
                connection.Notification += (_, _) => local.Notify();
                await using (var listen = new NpgsqlCommand("LISTEN " + PostgresDialect.Channel, connection))
                {
                    await listen.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }

                isListening = true;
                local.Notify();
                while (!ct.IsCancellationRequested)
                {
                    if (!await connection.WaitAsync(ProbeInterval, ct).ConfigureAwait(false))
                    {
                        await using var probe = new NpgsqlCommand("SELECT 1", connection);
                        await probe.ExecuteScalarAsync(ct).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                // Database away: dispatchers still poll on their own schedule; retry shortly.
            }

            isListening = false;
            try
            {
                await Task.Delay(ReconnectDelay, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private int disposed;

    /// <summary>
    /// Idempotent: the host disposes this both as the registered IDeliveryWakeup and through the
    /// storage handle that owns it; a second call once threw ObjectDisposedException and made a
    /// graceful SIGTERM exit with code 1.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await listening.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        stopping.Dispose();
        local.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
