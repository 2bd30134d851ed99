using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Posthorn.Storage.Secrets;

namespace Posthorn.Storage.Sqlite;

/// <summary>
/// Pooled connections to one SQLite file, each set up for several processes sharing it (the CLI and
/// the server run side by side): WAL so readers never block the writer, synchronous=NORMAL (durable
/// at checkpoints, safe in WAL), foreign keys for the cascades, and a busy timeout so a writer waits
/// for the lock instead of failing with "database is locked". The automatic checkpoint waits for
/// <see cref="AutomaticCheckpointPages"/> pages instead of SQLite's 1,000: checkpoints are the
/// <see cref="WalCheckpointer"/>'s work, off the writers' path, and this is its backstop. The file is created mode 0600 before
/// SQLite opens it (SQLite gives its -wal and -shm files the same mode), and older installs'
/// files are tightened: it holds password hashes and delivery logs. Thread-safe.
/// </summary>
public sealed class SqliteFileDataSource : DbDataSource
{
    // busy_timeout first: switching a new file to WAL needs the lock another process may hold.
    private static readonly string Pragmas =
        $"PRAGMA busy_timeout = 30000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA wal_autocheckpoint = {AutomaticCheckpointPages};";

    /// <summary>Log pages after which a commit checkpoints by itself (about 40 MB of 4 KiB pages).</summary>
    internal const int AutomaticCheckpointPages = 10000;

    // Native handles whose PRAGMAs have run: they stick to the handle, which the pool hands out again,
    // so a reopened pooled connection skips them (four statements compiled per write transaction).
    private readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> setUp = [];

    /// <summary>
    /// SQLite's multi-thread mode instead of its default, serialized: Posthorn never uses one connection
    /// from two threads at once (the write connection is behind the store's gate, a read connection is
    /// rented to one read, a pooled one belongs to its caller), so the lock SQLite takes around every
    /// call on a connection guarded nothing; with the allocator's statistics, which take a lock on every
    /// allocation and which nothing reads, it was 2.5 % of a delivery drain's CPU. Both are process-wide
    /// and can only be set before SQLite starts: if something in the process opened SQLite first, the
    /// calls fail and SQLite stays as it was, serialized, which is also correct.
    /// </summary>
    static SqliteFileDataSource()
    {
        SQLitePCL.Batteries_V2.Init();
        _ = SQLitePCL.raw.sqlite3_config(SQLitePCL.raw.SQLITE_CONFIG_MULTITHREAD);
        _ = SQLitePCL.raw.sqlite3_config(SQLitePCL.raw.SQLITE_CONFIG_MEMSTATUS, 0);
    }

    public SqliteFileDataSource(string path)
    {
        OwnerOnlyFiles.Prepare(path, path + "-wal", path + "-shm");
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            ForeignKeys = true,
            // Microsoft.Data.Sqlite retries SQLITE_BUSY up to the command timeout.
            DefaultTimeout = 30,
        }.ToString();
    }

    public override string ConnectionString { get; }

    protected override DbConnection CreateDbConnection() => new SqliteConnection(ConnectionString);

    protected override DbConnection OpenDbConnection()
    {
        var connection = (SqliteConnection)CreateDbConnection();
        connection.Open();
        if (IsSetUp(connection))
        {
            return connection;
        }

        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
        MarkSetUp(connection);
        return connection;
    }

    protected override async ValueTask<DbConnection> OpenDbConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = (SqliteConnection)CreateDbConnection();
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (IsSetUp(connection))
        {
            return connection;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        MarkSetUp(connection);
        return connection;
    }

    private bool IsSetUp(SqliteConnection connection) => connection.Handle is { } handle && setUp.TryGetValue(handle, out _);

    private void MarkSetUp(SqliteConnection connection)
    {
        if (connection.Handle is { } handle)
        {
            setUp.AddOrUpdate(handle, this);
        }
    }

    // Pooled connections would keep the file open (and its WAL) after the handle is gone.
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            using var connection = new SqliteConnection(ConnectionString);
            SqliteConnection.ClearPool(connection);
        }

        base.Dispose(disposing);
    }
}
