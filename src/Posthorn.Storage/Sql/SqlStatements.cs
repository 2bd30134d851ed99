using System.Data.Common;

namespace Posthorn.Storage.Sql;

/// <summary>
/// Runs several statements that each return one result set, in one round trip where the provider
/// batches (Npgsql's DbBatch), else one after the other (SQLite is in-process; round trips are free),
/// each distinct statement compiled once.
/// In a batch every statement must return a result set (use RETURNING) so results line up with
/// statements; run one by one, a statement that returns no rows gets an empty list in its place.
/// </summary>
internal static class SqlStatements
{
    public static async Task<List<List<T>>> QueryEachAsync<T>(DbConnection connection, DbTransaction transaction,
        IReadOnlyList<(string Sql, (string, object?)[] Parameters)> statements, Func<DbDataReader, T> map, CancellationToken ct)
    {
        var results = new List<List<T>>(statements.Count);
        if (statements.Count == 0)
        {
            return results;
        }

        if (StatementCache.Of(connection) is not null)
        {
            // SQLite's held connections: each statement compiled once per connection and re-bound by position.
            foreach (var (sql, parameters) in statements)
            {
                results.Add(await SqlCommands.ListAsync(connection, transaction, sql, map, ct, parameters).ConfigureAwait(false));
            }

            return results;
        }

        if (!connection.CanCreateBatch)
        {
            // One command per distinct statement text, its parameters re-bound for each run: the
            // statement is compiled once per call, not once per row (SQLite's prepare cost dominated
            // a settlement batch of a few hundred moves and attempt rows).
            var commands = new Dictionary<string, DbCommand>(StringComparer.Ordinal);
            try
            {
                foreach (var (sql, parameters) in statements)
                {
                    if (commands.TryGetValue(sql, out var command))
                    {
                        foreach (var (name, value) in parameters)
                        {
                            command.Parameters[name].Value = SqlCommands.ToStorage(value);
                        }
                    }
                    else
                    {
                        command = SqlCommands.Create(connection, transaction, sql, parameters);
                        commands.Add(sql, command);
                    }

                    await using var answer = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                    var rows = new List<T>(1);
                    while (await answer.ReadAsync(ct).ConfigureAwait(false))
                    {
                        rows.Add(map(answer));
                    }

                    results.Add(rows);
                }
            }
            finally
            {
                foreach (var command in commands.Values)
                {
                    await command.DisposeAsync().ConfigureAwait(false);
                }
            }

            return results;
        }

        await using var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        foreach (var (sql, parameters) in statements)
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                var parameter = command.CreateParameter()!;
                parameter.ParameterName = name;
                parameter.Value = SqlCommands.ToStorage(value);
                command.Parameters.Add(parameter);
            }

            batch.BatchCommands.Add(command);
        }

        await using var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
        do
        {
            var rows = new List<T>();
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                rows.Add(map(reader));
            }

            results.Add(rows);
        }
        while (await reader.NextResultAsync(ct).ConfigureAwait(false));

        return results;
    }
}
