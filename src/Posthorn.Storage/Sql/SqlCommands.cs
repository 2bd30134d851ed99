using System.Data.Common;

namespace Posthorn.Storage.Sql;

/// <summary>
/// Builds and runs commands with named @parameters, converting domain values to the storage
/// representation in one place: times as unix milliseconds, booleans as 0/1, enums and ints as
/// 64-bit integers, Guids as text, null as DBNull, and NUL characters in text as U+FFFD.
/// </summary>
internal static class SqlCommands
{
    public static DbCommand Create(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        AddParameters(command, parameters);
        return command;
    }

    public static void AddParameters(DbCommand command, (string Name, object? Value)[] parameters)
    {
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = ToStorage(value);
            command.Parameters.Add(parameter);
        }
    }

    /// <summary>
    /// The statement compiled on <paramref name="connection"/>'s <see cref="StatementCache"/>, if it has
    /// one (SQLite's held connections) and <paramref name="sql"/> is a single statement; give it back to
    /// the cache. Null: run it through the provider.
    /// </summary>
    internal static (StatementCache Cache, Sqlite.CompiledStatement Statement)? Compiled(DbConnection connection, string sql) =>
        StatementCache.Of(connection) is { } cache && cache.Rent(sql) is { } statement ? (cache, statement) : null;

    // PostgreSQL's text cannot hold NUL: a receiver answering with binary bytes (a gzip or UTF-16 body)
    // made its whole settlement batch fail, and the batch was retried for ever while nothing else was
    // recorded. Both databases store the replacement character, as a page would show the byte anyway.
    public static object ToStorage(object? value) => value switch
    {
        null => DBNull.Value,
        DateTimeOffset t => t.ToUnixTimeMilliseconds(),
        bool b => b ? 1L : 0L,
        Guid g => g.ToString(),
        int i => (long)i,
        Enum e => Convert.ToInt64(e, System.Globalization.CultureInfo.InvariantCulture),
        TimeSpan span => (long)span.TotalMilliseconds,
        string text when text.Contains('\0', StringComparison.Ordinal) => text.Replace('\0', '\uFFFD'),
        _ => value,
    };

    public static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken ct, params (string, object?)[] parameters)
    {
        if (Compiled(connection, sql) is var (cache, statement))
        {
            try
            {
                return statement.Execute(parameters, ct);
            }
            finally
            {
                cache.Return(statement);
            }
        }

        await using var command = Create(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public static async Task<object?> ScalarAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken ct, params (string, object?)[] parameters)
    {
        if (Compiled(connection, sql) is var (cache, statement))
        {
            try
            {
                using var rows = statement.Query(parameters, ct);
                return rows.Read() && !rows.IsDBNull(0) ? rows.GetValue(0) : null;
            }
            finally
            {
                cache.Return(statement);
            }
        }

        await using var command = Create(connection, transaction, sql, parameters);
        var value = await command.ExecuteScalarAsync(ct).ConfigureAwait(false);
        return value is DBNull ? null : value;
    }

    /// <summary>Reads every row with <paramref name="map"/>.</summary>
    public static async Task<List<T>> ListAsync<T>(DbConnection connection, DbTransaction? transaction, string sql, Func<DbDataReader, T> map, CancellationToken ct, params (string, object?)[] parameters)
    {
        if (Compiled(connection, sql) is var (cache, statement))
        {
            try
            {
                return ReadAll(statement, parameters, map, ct);
            }
            finally
            {
                cache.Return(statement);
            }
        }

        await using var command = Create(connection, transaction, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var rows = new List<T>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    /// <summary>Every row of one run of a compiled statement, through <paramref name="map"/>.</summary>
    internal static List<T> ReadAll<T>(Sqlite.CompiledStatement statement, (string, object?)[] parameters, Func<DbDataReader, T> map, CancellationToken ct)
    {
        using var rows = statement.Query(parameters, ct);
        var list = new List<T>(1);
        while (rows.Read())
        {
            list.Add(map(rows));
        }

        return list;
    }

    public static async Task<T?> SingleOrDefaultAsync<T>(DbConnection connection, DbTransaction? transaction, string sql, Func<DbDataReader, T> map, CancellationToken ct, params (string, object?)[] parameters)
        where T : class
    {
        var rows = await ListAsync(connection, transaction, sql, map, ct, parameters).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }
}
