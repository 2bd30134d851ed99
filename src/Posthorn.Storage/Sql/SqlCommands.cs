using System.Data.Common;

namespace Posthorn.Storage.Sql;

/// <summary>
/// Builds and runs commands with named @parameters, converting domain values to the storage
/// representation in one place: times as unix milliseconds, booleans as 0/1, enums and ints as
/// 64-bit integers, Guids as text, null as DBNull.
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
    /// A command for one run: kept compiled when the connection has a <see cref="StatementCache"/>
    /// (SQLite's long-lived write connection), else fresh. Give it back with <see cref="ReturnAsync"/>.
    /// </summary>
    public static DbCommand Rent(DbConnection connection, DbTransaction? transaction, string sql, (string Name, object? Value)[] parameters) =>
        StatementCache.Of(connection) is { } cache ? cache.Rent(transaction, sql, parameters) : Create(connection, transaction, sql, parameters);

    public static ValueTask ReturnAsync(DbConnection connection, DbCommand command) =>
        StatementCache.Of(connection) is { } cache ? cache.ReturnAsync(command) : command.DisposeAsync();

    public static object ToStorage(object? value) => value switch
    {
        null => DBNull.Value,
        DateTimeOffset t => t.ToUnixTimeMilliseconds(),
        bool b => b ? 1L : 0L,
        Guid g => g.ToString(),
        int i => (long)i,
        Enum e => Convert.ToInt64(e, System.Globalization.CultureInfo.InvariantCulture),
        TimeSpan span => (long)span.TotalMilliseconds,
        _ => value,
    };

    public static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken ct, params (string, object?)[] parameters)
    {
        var command = Rent(connection, transaction, sql, parameters);
        try
        {
            return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            await ReturnAsync(connection, command).ConfigureAwait(false);
        }
    }

    public static async Task<object?> ScalarAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken ct, params (string, object?)[] parameters)
    {
        var command = Rent(connection, transaction, sql, parameters);
        try
        {
            var value = await command.ExecuteScalarAsync(ct).ConfigureAwait(false);
            return value is DBNull ? null : value;
        }
        finally
        {
            await ReturnAsync(connection, command).ConfigureAwait(false);
        }
    }

    /// <summary>Reads every row with <paramref name="map"/>.</summary>
    public static async Task<List<T>> ListAsync<T>(DbConnection connection, DbTransaction? transaction, string sql, Func<DbDataReader, T> map, CancellationToken ct, params (string, object?)[] parameters)
    {
        var command = Rent(connection, transaction, sql, parameters);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            var rows = new List<T>();
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                rows.Add(map(reader));
            }

            return rows;
        }
        finally
        {
            await ReturnAsync(connection, command).ConfigureAwait(false);
        }
    }

    public static async Task<T?> SingleOrDefaultAsync<T>(DbConnection connection, DbTransaction? transaction, string sql, Func<DbDataReader, T> map, CancellationToken ct, params (string, object?)[] parameters)
        where T : class
    {
        var rows = await ListAsync(connection, transaction, sql, map, ct, parameters).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }
}
