using System.Collections.Concurrent;
using System.Data.Common;

namespace Posthorn.Storage.Sql;

/// <summary>
/// SQLite connections kept open for reads, each with a <see cref="StatementCache"/>: the reads made
/// again and again (a push's token, repository, services and recorded refs; the dispatcher's next due
/// time) are re-bound instead of parsed and planned on every call, as a pooled connection drops its
/// compiled statements whenever it is returned. Nothing is held between reads but the open file:
/// every statement is reset when its reader closes, so no snapshot keeps WAL checkpoints from
/// finishing. A read that failed closes its connection instead of returning it. At most
/// <c>capacity</c> are kept; a read that finds none idle opens another. Thread-safe.
/// </summary>
internal sealed class HeldReadConnections(DbDataSource dataSource, int capacity) : IAsyncDisposable
{
    private readonly ConcurrentBag<DbConnection> idle = [];
    private volatile bool disposed;

    /// <summary>Connections idle right now (for tests).</summary>
    public int Idle => idle.Count;

    public async ValueTask<DbConnection> RentAsync(CancellationToken ct)
    {
        if (idle.TryTake(out var connection))
        {
            return connection;
        }

        return await StatementCache.OpenAsync(dataSource, ct).ConfigureAwait(false);
    }

    /// <summary>Keeps <paramref name="connection"/> for the next read, unless its read failed, enough are kept, or the store is closing.</summary>
    public async ValueTask ReturnAsync(DbConnection connection, bool failed)
    {
        if (failed || disposed || idle.Count >= capacity)
        {
            await StatementCache.CloseAsync(connection).ConfigureAwait(false);
            return;
        }

        idle.Add(connection);
        if (disposed)
        {
            await DisposeAsync().ConfigureAwait(false); // closing began while this one came back
        }
    }

    public async ValueTask DisposeAsync()
    {
        disposed = true;
        while (idle.TryTake(out var connection))
        {
            await StatementCache.CloseAsync(connection).ConfigureAwait(false);
        }
    }
}
