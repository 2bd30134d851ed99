using System.Data.Common;

namespace Posthorn.Storage.Sql;

/// <summary>
/// Runs several statements that each return one result set, in one round trip where the provider
/// batches (Npgsql's DbBatch), else one after the other (SQLite is in-process; round trips are free).
/// Every statement must return a result set (use RETURNING) so results line up with statements.
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

        if (!connection.CanCreateBatch)
        {
            foreach (var (sql, parameters) in statements)
            {
                results.Add(await SqlCommands.ListAsync(connection, transaction, sql, map, ct, parameters).ConfigureAwait(false));
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
