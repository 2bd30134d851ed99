using System.Data.Common;
using Posthorn.Storage;
using Posthorn.Storage.Sqlite;

namespace Posthorn.Tests.Storage;

/// <summary>
/// The data source runs its PRAGMAs once per native handle and skips them when the pool hands the
/// handle out again: every connection, fresh or reopened, must still have them in force.
/// </summary>
public sealed class SqliteFileDataSourceTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("posthorn-pragmas-").FullName;

    [Fact]
    public async Task ReopenedPooledConnection_KeepsWalNormalSyncForeignKeysAndBusyTimeout()
    {
        await using var source = new SqliteFileDataSource(Path.Combine(directory, PosthornStorage.SqliteFileName));
        for (var open = 0; open < 3; open++)
        {
            await using var connection = await source.OpenConnectionAsync();
            Assert.Equal(("wal", 1L, 1L, 30000L), (
                (string)(await ScalarAsync(connection, "PRAGMA journal_mode"))!,
                (long)(await ScalarAsync(connection, "PRAGMA synchronous"))!,
                (long)(await ScalarAsync(connection, "PRAGMA foreign_keys"))!,
                (long)(await ScalarAsync(connection, "PRAGMA busy_timeout"))!));
        }

        using var synchronous = source.OpenConnection();
        Assert.Equal(1L, (long)(await ScalarAsync(synchronous, "PRAGMA synchronous"))!);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static async Task<object?> ScalarAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
