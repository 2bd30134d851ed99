using System.Data.Common;

namespace Posthorn.Storage.Sqlite;

/// <summary>
/// Copies SQLite's write-ahead log into the database file from its own connection about once a
/// second. SQLite's automatic checkpoint runs inside whichever commit crosses its page threshold,
/// fsyncs included, and on the server that commit holds the store's write gate, so every push and
/// settlement queued behind it waited for the disk. Here the fsyncs happen beside the writers:
/// a checkpoint never takes the write lock. PASSIVE never waits either; frames a reader still
/// needs are copied on a later round. With synchronous=NORMAL the log reaches the disk at
/// checkpoints, so this also narrows what a power cut can take back to about a second of commits,
/// where the page threshold alone left it open for as long as a quiet server took to write 1,000
/// pages (longer while a long read keeps SQLite from copying anything: it then syncs nothing). The
/// automatic checkpoint stays as a backstop (<see cref="SqliteFileDataSource"/> raises its
/// threshold), for writes faster than this loop and for a process whose loop is not running.
/// </summary>
internal sealed class WalCheckpointer : IAsyncDisposable
{
    /// <summary>How often the log is checkpointed.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly DbDataSource dataSource;
    private readonly TimeProvider time;
    private readonly CancellationTokenSource stopping = new();
    private readonly Task loop;
    private int disposed;

    public WalCheckpointer(DbDataSource dataSource, TimeProvider time)
    {
        this.dataSource = dataSource;
        this.time = time;
        loop = Task.Run(() => RunAsync(stopping.Token));
    }

    private async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, time, ct).ConfigureAwait(false);
                await CheckpointAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                // A failed round (the file briefly unreadable, the disk full) is tried again on the
                // next one; meanwhile commits stay in the log, synced by the automatic checkpoint.
            }
        }
    }

    private async Task CheckpointAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>False once disposed and the loop has ended.</summary>
    internal bool IsRunning => !loop.IsCompleted;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        await loop.ConfigureAwait(false);
        stopping.Dispose();
    }
}
