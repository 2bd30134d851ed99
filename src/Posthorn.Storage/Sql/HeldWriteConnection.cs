using System.Data.Common;

namespace Posthorn.Storage.Sql;

/// <summary>
/// One connection kept open for a process's SQLite writes, with a <see cref="StatementCache"/>:
/// the store's write gate already lets one writer at a time through, so the writes can share a
/// connection, and its commands stay compiled between transactions (a pooled connection returned
/// after each transaction drops every compiled statement with its command). Nothing is held between
/// transactions but the open file: no lock, no open read. After a write that failed the connection is
/// dropped and the next write opens a fresh one, so a connection in an unknown state is never reused.
/// Not thread-safe: used under the write gate only.
/// </summary>
internal sealed class HeldWriteConnection(DbDataSource dataSource) : IAsyncDisposable
{
    private DbConnection? connection;
    private bool disposed;

    /// <summary>The open connection, opened on first use (or after <see cref="DropAsync"/>); null once disposed.</summary>
    public async ValueTask<DbConnection?> GetAsync(CancellationToken ct)
    {
        if (disposed)
        {
            return null;
        }

        return connection ??= await StatementCache.OpenAsync(dataSource, ct).ConfigureAwait(false);
    }

    /// <summary>Closes the connection and its compiled statements; the next <see cref="GetAsync"/> opens another.</summary>
    public async ValueTask DropAsync()
    {
        if (connection is not null)
        {
            var closing = connection;
            connection = null;
            await StatementCache.CloseAsync(closing).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        disposed = true;
        await DropAsync().ConfigureAwait(false);
    }
}
