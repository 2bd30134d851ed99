using System.Data.Common;
using System.Runtime.CompilerServices;

namespace Posthorn.Storage.Sql;

/// <summary>
/// Commands kept compiled on one long-lived connection, by statement text. Microsoft.Data.Sqlite
/// keeps a command's prepared statements while the command and its connection live, so a statement
/// run again (the dispatcher's claims and settlements, thousands of times a minute) is re-bound
/// instead of parsed and planned again. Only connections a cache is attached to use one; every other
/// connection gets a fresh command per call, as before. Not thread-safe: the connection's user
/// (the store's write gate on SQLite) runs one statement at a time.
/// </summary>
internal sealed class StatementCache : IDisposable
{
    /// <summary>Statement texts kept; the claim's IN lists vary with their length, so the set is bounded, not fixed.</summary>
    private const int Capacity = 256;

    private static readonly ConditionalWeakTable<DbConnection, StatementCache> Attached = [];

    private readonly DbConnection connection;
    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);

    private StatementCache(DbConnection connection) => this.connection = connection;

    public static StatementCache Attach(DbConnection connection)
    {
        var cache = new StatementCache(connection);
        Attached.AddOrUpdate(connection, cache);
        return cache;
    }

    /// <summary>Opens a connection from <paramref name="dataSource"/> with a cache attached (the held connections' way to open).</summary>
    public static async ValueTask<DbConnection> OpenAsync(DbDataSource dataSource, CancellationToken ct)
    {
        var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        Attach(connection);
        return connection;
    }

    /// <summary>Frees the compiled statements of <paramref name="connection"/>'s cache, if any, then closes it.</summary>
    public static ValueTask CloseAsync(DbConnection connection)
    {
        Of(connection)?.Dispose();
        return connection.DisposeAsync();
    }

    /// <summary>The cache attached to <paramref name="connection"/>, if any.</summary>
    public static StatementCache? Of(DbConnection connection) => Attached.TryGetValue(connection, out var cache) ? cache : null;

    /// <summary>
    /// A command for <paramref name="sql"/> bound to <paramref name="parameters"/> (the previous
    /// run's parameters are cleared, so a caller never inherits another's values). Give it back with
    /// <see cref="ReturnAsync"/>. A statement already in use (a nested run of the same text) gets a
    /// fresh command that is disposed on return.
    /// </summary>
    public DbCommand Rent(DbTransaction? transaction, string sql, (string Name, object? Value)[] parameters)
    {
        if (!entries.TryGetValue(sql, out var entry))
        {
            if (entries.Count >= Capacity)
            {
                Evict();
            }

            entry = new Entry(SqlCommands.Create(connection, transaction, sql, parameters));
            entries.Add(sql, entry);
            entry.InUse = true;
            return entry.Command;
        }

        if (entry.InUse)
        {
            return SqlCommands.Create(connection, transaction, sql, parameters);
        }

        entry.InUse = true;
        var command = entry.Command;
        command.Transaction = transaction;
        command.Parameters.Clear();
        SqlCommands.AddParameters(command, parameters);
        return command;
    }

    public ValueTask ReturnAsync(DbCommand command)
    {
        if (entries.TryGetValue(command.CommandText, out var entry) && ReferenceEquals(entry.Command, command))
        {
            entry.InUse = false;
            return ValueTask.CompletedTask;
        }

        return command.DisposeAsync();
    }

    /// <summary>Disposes every kept command not in use (and with it its compiled statements).</summary>
    private void Evict()
    {
        foreach (var (sql, entry) in entries.Where(e => !e.Value.InUse).ToList())
        {
            entry.Command.Dispose();
            entries.Remove(sql);
        }
    }

    /// <summary>Disposes every kept command and detaches the cache from its connection.</summary>
    public void Dispose()
    {
        foreach (var entry in entries.Values)
        {
            entry.Command.Dispose();
        }

        entries.Clear();
        Attached.Remove(connection);
    }

    private sealed class Entry(DbCommand command)
    {
        public DbCommand Command { get; } = command;

        public bool InUse { get; set; }
    }
}
