using Npgsql;
using Posthorn.Core.Deliveries;
using Posthorn.Storage.Postgres;
using Posthorn.Storage.Sql;
using Posthorn.Storage.Sqlite;

namespace Posthorn.Storage;

/// <summary>
/// The one entry point the host uses to get storage:
/// <code>
/// await using var storage = PosthornStorage.Open(config["Database:Postgres"], dataDirectory);
/// await storage.MigrateAsync(ct);          // at start-up, before serving; safe in every process
/// services.AddSingleton(storage.Accounts); // ... Repositories, Pushes, PostServices, Deliveries, Wakeup
/// </code>
/// </summary>
public static class PosthornStorage
{
    /// <summary>File name of the embedded database inside the data directory.</summary>
    public const string SqliteFileName = "posthorn.db";

    /// <summary>
    /// PostgreSQL when <paramref name="postgresConnectionString"/> is set (an Npgsql connection
    /// string; several nodes may share it), else SQLite in <c>{dataDirectory}/posthorn.db</c>
    /// (created, with the directory, if missing). Opens no connection yet: call
    /// <see cref="StorageHandle.MigrateAsync"/> next.
    /// </summary>
    public static StorageHandle Open(string? postgresConnectionString, string dataDirectory, TimeProvider? timeProvider = null)
    {
        timeProvider ??= TimeProvider.System;
        if (!string.IsNullOrWhiteSpace(postgresConnectionString))
        {
            var dataSource = NpgsqlDataSource.Create(postgresConnectionString);
            var wakeup = new PostgresDeliveryWakeup(dataSource);

            // NOTIFY inside the store's transactions reaches this node's LISTEN too, so no local signal is needed.
            var store = new SqlStore(dataSource, PostgresDialect.Instance);
            return new StorageHandle(store, dataSource, wakeup, timeProvider, [wakeup, dataSource]);
        }

        Directory.CreateDirectory(dataDirectory);
        var sqlite = new SqliteFileDataSource(Path.Combine(dataDirectory, SqliteFileName));
        var local = new LocalDeliveryWakeup();
        var sqliteStore = new SqlStore(sqlite, SqliteDialect.Instance, local.Notify);
        return new StorageHandle(sqliteStore, sqlite, local, timeProvider, [local, sqlite]);
    }
}
