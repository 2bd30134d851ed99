using System.Data.Common;
using Posthorn.Core;
using Posthorn.Core.Accounts;
using Posthorn.Core.Deliveries;
using Posthorn.Core.PostServices;
using Posthorn.Core.Pushes;
using Posthorn.Core.Repositories;
using Posthorn.Storage.Secrets;

namespace Posthorn.Storage.Sql;

/// <summary>
/// Every store contract over one <see cref="DbDataSource"/>, for SQLite and PostgreSQL alike; the
/// differences live in <see cref="SqlDialect"/>. One file per contract. Thread-safe: each call
/// opens its own (pooled) connection, except on SQLite, where writes queue for one held connection
/// and reads take one of a few held connections (statements stay compiled on both).
/// Dispose it before its data source.
/// </summary>
/// <param name="deliveriesQueued">
/// Called after a transaction that queued deliveries commits (persist first, then signal), so the
/// local dispatcher wakes without every caller remembering to.
/// </param>
/// <param name="secrets">Encrypts the service columns that hold credentials (URL, signing secrets).</param>
public sealed partial class SqlStore(DbDataSource dataSource, SqlDialect dialect, SecretColumns secrets, Action? deliveriesQueued = null)
    : IAccountStore, IRepositoryStore, IPushStore, IPostServiceStore, IDeliveryStore, IAsyncDisposable
{
    public SqlDialect Dialect => dialect;

    private async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken ct)
    {
        if (heldReaders is null)
        {
            await using var pooled = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            return await work(pooled).ConfigureAwait(false);
        }

        var connection = await heldReaders.RentAsync(ct).ConfigureAwait(false);
        var failed = true;
        try
        {
            var result = await work(connection).ConfigureAwait(false);
            failed = false;
            return result;
        }
        finally
        {
            await heldReaders.ReturnAsync(connection, failed).ConfigureAwait(false);
        }
    }

    /// <summary>SQLite's read connections, their statements kept compiled (see <see cref="HeldReadConnections"/>).</summary>
    private readonly HeldReadConnections? heldReaders =
        dialect is Sqlite.SqliteDialect ? new HeldReadConnections(dataSource, Math.Max(4, 2 * Environment.ProcessorCount)) : null;

    /// <summary>
    /// SQLite has one writer at a time; writers of this process queue here instead of in SQLite's busy
    /// handler, which sleeps in steps of milliseconds when it finds the lock taken (the dispatcher's
    /// claims and settlements collided that way hundreds of times a second). Other processes on the
    /// same file (the CLI) still meet busy_timeout. PostgreSQL writers run side by side.
    /// </summary>
    private readonly SemaphoreSlim? writeGate = dialect is Sqlite.SqliteDialect ? new SemaphoreSlim(1, 1) : null;

    private async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct)
    {
        if (writeGate is null)
        {
            return await WriteNowAsync(work, ct).ConfigureAwait(false);
        }

        await writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (await heldWriter!.GetAsync(ct).ConfigureAwait(false) is not { } connection)
            {
                return await WriteNowAsync(work, ct).ConfigureAwait(false); // disposed: no connection is held any more
            }

            try
            {
                return await InTransactionAsync(connection, work, ct).ConfigureAwait(false);
            }
            catch
            {
                await heldWriter.DropAsync().ConfigureAwait(false);
                throw;
            }
        }
        finally
        {
            writeGate.Release();
        }
    }

    /// <summary>SQLite's one write connection, its statements kept compiled (see <see cref="HeldWriteConnection"/>).</summary>
    private readonly HeldWriteConnection? heldWriter = dialect is Sqlite.SqliteDialect ? new HeldWriteConnection(dataSource) : null;

    /// <summary>Closes SQLite's held read connections, and its write connection once the writes in progress are done.</summary>
    public async ValueTask DisposeAsync()
    {
        if (heldReaders is not null)
        {
            await heldReaders.DisposeAsync().ConfigureAwait(false);
        }

        if (writeGate is null || heldWriter is null)
        {
            return;
        }

        await writeGate.WaitAsync().ConfigureAwait(false);
        try
        {
            await heldWriter.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            writeGate.Release();
        }
    }

    private async Task<T> WriteNowAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        return await InTransactionAsync(connection, work, ct).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="work"/> in one write transaction on <paramref name="connection"/> and commits it.</summary>
    private async Task<T> InTransactionAsync<T>(DbConnection connection, Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct)
    {
        await using var transaction = await dialect.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        var result = await work(connection, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(ct).ConfigureAwait(false);
        return result;
    }

    /// <summary>A write that turns a unique-constraint violation into the domain's <see cref="ConflictException"/>.</summary>
    private async Task<T> WriteUniqueAsync<T>(string conflictMessage, Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct)
    {
        try
        {
            return await WriteAsync(work, ct).ConfigureAwait(false);
        }
        catch (DbException e) when (dialect.IsUniqueViolation(e))
        {
            throw new ConflictException(conflictMessage);
        }
    }

    /// <summary>Wakes other nodes from inside the transaction (PostgreSQL NOTIFY fires on commit).</summary>
    private async Task NotifyInTransactionAsync(DbConnection connection, DbTransaction transaction, CancellationToken ct)
    {
        if (dialect.NotifySql is { } sql)
        {
            await SqlCommands.ExecuteAsync(connection, transaction, sql, ct).ConfigureAwait(false);
        }
    }

    private void SignalQueued() => deliveriesQueued?.Invoke();

    /// <summary>Wakes this node's dispatcher after a commit that queued <paramref name="queued"/> deliveries (none: nothing to wake it for).</summary>
    private void SignalIfQueued(int queued)
    {
        if (queued > 0)
        {
            SignalQueued();
        }
    }

    /// <summary>Readiness: true when a connection opens and answers a trivial query.</summary>
    public async Task<bool> PingAsync(CancellationToken ct)
    {
        try
        {
            return await ReadAsync(async c => await SqlCommands.ScalarAsync(c, null, "SELECT 1", ct).ConfigureAwait(false) is not null, ct).ConfigureAwait(false);
        }
        catch (DbException)
        {
            return false;
        }
    }
}
