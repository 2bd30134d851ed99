using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Posthorn.Storage.Sqlite;

namespace Posthorn.Storage.Sql;

/// <summary>
/// SQLite statements kept compiled on one long-lived connection, by statement text, and run through
/// SQLite's own API (<see cref="CompiledStatement"/>): a statement run again (the dispatcher's claims
/// and settlements, thousands of times a minute) is re-bound by position instead of parsed and planned
/// again, and without the provider's per-run work. Only connections a cache is attached to use one;
/// every other connection gets a fresh provider command per call. A text of several statements is
/// remembered as such and left to the provider. Not thread-safe: the connection's user (the store's
/// write gate, or one read at a time) runs one statement at a time.
/// </summary>
internal sealed class StatementCache : IDisposable
{
    /// <summary>Statement texts kept; the claim's IN lists vary with their length, so the set is bounded, not fixed.</summary>
    private const int Capacity = 256;

    private static readonly ConditionalWeakTable<DbConnection, StatementCache> Attached = [];

    private readonly SqliteConnection connection;
    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);

    private StatementCache(SqliteConnection connection) => this.connection = connection;

    public static StatementCache Attach(DbConnection connection)
    {
        var cache = new StatementCache((SqliteConnection)connection);
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
    /// The compiled statement for <paramref name="sql"/>, or null when the text is not a single
    /// statement (the caller runs it through the provider). Give it back with <see cref="Return"/>.
    /// A statement already in use (a nested run of the same text) gets a separate compilation that is
    /// freed on return.
    /// </summary>
    public CompiledStatement? Rent(string sql)
    {
        if (!entries.TryGetValue(sql, out var entry))
        {
            if (entries.Count >= Capacity)
            {
                Evict();
            }

            entry = new Entry(CompiledStatement.TryCompile(connection, sql));
            entries.Add(sql, entry);
        }

        if (entry.Compiled is null)
        {
            return null;
        }

        if (entry.InUse)
        {
            return CompiledStatement.TryCompile(connection, sql);
        }

        entry.InUse = true;
        return entry.Compiled;
    }

    public void Return(CompiledStatement statement)
    {
        if (entries.TryGetValue(statement.Text, out var entry) && ReferenceEquals(entry.Compiled, statement))
        {
            entry.InUse = false;
            return;
        }

        statement.Dispose();
    }

    /// <summary>Frees every kept statement not in use.</summary>
    private void Evict()
    {
        foreach (var (sql, entry) in entries.Where(e => !e.Value.InUse).ToList())
        {
            entry.Compiled?.Dispose();
            entries.Remove(sql);
        }
    }

    /// <summary>Frees every kept statement and detaches the cache from its connection.</summary>
    public void Dispose()
    {
        foreach (var entry in entries.Values)
        {
            entry.Compiled?.Dispose();
        }

        entries.Clear();
        Attached.Remove(connection);
    }

    private sealed class Entry(CompiledStatement? compiled)
    {
        public CompiledStatement? Compiled { get; } = compiled;

        public bool InUse { get; set; }
    }
}
