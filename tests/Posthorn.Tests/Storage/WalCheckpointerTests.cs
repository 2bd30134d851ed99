using System.Data.Common;
using Microsoft.Extensions.Time.Testing;
using Posthorn.Storage;
using Posthorn.Storage.Sqlite;

namespace Posthorn.Tests.Storage;

/// <summary>
/// SQLite writes land in the -wal file and reach the database file only at a checkpoint, so the
/// database file's length shows whether one ran. Commits must no longer checkpoint at SQLite's
/// default 1,000 pages (that fsync ran inside the commit, under the write gate); the storage
/// handle's loop does it on its clock, and the raised automatic threshold still bounds the log.
/// </summary>
public sealed class WalCheckpointerTests : IDisposable
{
    private const int PageSize = 4096;
    private const int RowBytes = 4000; // fits one page with its row header, so a row is a page
    private readonly string directory = Directory.CreateTempSubdirectory("posthorn-checkpoint-").FullName;

    private string DatabaseFile => Path.Combine(directory, PosthornStorage.SqliteFileName);

    [Fact]
    public async Task CommitsPastSqlitesDefaultThreshold_StayInTheLog_UntilTheHandlesCheckpointRuns()
    {
        var time = new FakeTimeProvider();
        await using var storage = PosthornStorage.Open(null, directory, time);
        await using var source = new SqliteFileDataSource(DatabaseFile);
        // Held open throughout: when a file's last connection closes, SQLite checkpoints it (and
        // other tests may empty the connection pool at any moment).
        await using var writer = await source.OpenConnectionAsync();

        await WritePagesAsync(writer, pages: 2000, transactions: 40);

        Assert.True(new FileInfo(DatabaseFile + "-wal").Length > 2000L * PageSize, "the commits are in the log");
        Assert.True(new FileInfo(DatabaseFile).Length < 100L * PageSize, "no commit checkpointed by itself");

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (new FileInfo(DatabaseFile).Length < 2000L * PageSize)
        {
            Assert.True(DateTime.UtcNow < deadline, "the handle's checkpoint never copied the log into the database file");
            time.Advance(WalCheckpointer.Interval);
            await Task.Delay(20);
        }

        Assert.Equal(2000L, await RowCountAsync(writer));
    }

    [Fact]
    public async Task WithoutTheLoop_TheAutomaticCheckpointStillBoundsTheLog()
    {
        await using var source = new SqliteFileDataSource(DatabaseFile);
        await using var writer = await source.OpenConnectionAsync();

        await WritePagesAsync(writer, pages: SqliteFileDataSource.AutomaticCheckpointPages + 500, transactions: 50);

        Assert.True(new FileInfo(DatabaseFile).Length > (long)SqliteFileDataSource.AutomaticCheckpointPages * PageSize / 2,
            "a commit past the raised threshold checkpointed");
    }

    [Fact]
    public async Task Dispose_EndsTheLoop_AndTheFileReopensWithEveryCommit()
    {
        var time = new FakeTimeProvider();
        await using (var source = new SqliteFileDataSource(DatabaseFile))
        {
            var checkpointer = new WalCheckpointer(source, time);
            await using (var writer = await source.OpenConnectionAsync())
            {
                await WritePagesAsync(writer, pages: 50, transactions: 5);
                time.Advance(WalCheckpointer.Interval);
            }

            Assert.True(checkpointer.IsRunning);
            await checkpointer.DisposeAsync();
            Assert.False(checkpointer.IsRunning);
            await checkpointer.DisposeAsync(); // twice, as a host and its owner may both do
        }

        await using var reopened = new SqliteFileDataSource(DatabaseFile);
        await using var reader = await reopened.OpenConnectionAsync();
        Assert.Equal(50L, await RowCountAsync(reader));
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    // One page-sized row per page, in separate commits as the server's writes are.
    private static async Task WritePagesAsync(DbConnection connection, int pages, int transactions)
    {
        await ExecuteAsync(connection, "CREATE TABLE IF NOT EXISTS filler (id INTEGER PRIMARY KEY, data BLOB NOT NULL)");
        var perTransaction = pages / transactions;
        for (var t = 0; t < transactions; t++)
        {
            await using var transaction = await connection.BeginTransactionAsync();
            for (var row = 0; row < perTransaction + (t < pages % transactions ? 1 : 0); row++)
            {
                await using var insert = connection.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText = $"INSERT INTO filler (data) VALUES (randomblob({RowBytes}))";
                await insert.ExecuteNonQueryAsync();
            }

            await transaction.CommitAsync();
        }
    }

    private static async Task<long> RowCountAsync(DbConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM filler";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
