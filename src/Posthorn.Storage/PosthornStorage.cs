using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;
using Posthorn.Core.Deliveries;
using Posthorn.Storage.Postgres;
using Posthorn.Storage.Secrets;
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
    /// (created mode 0600, with the directory, if missing). Call <see cref="StorageHandle.MigrateAsync"/>
    /// next. On SQLite the handle checkpoints the write-ahead log about once a second
    /// (<see cref="WalCheckpointer"/>) until it is disposed.
    /// <para>
    /// Service URLs and signing secrets are encrypted with Data Protection (<see cref="SecretColumns"/>).
    /// The key ring lives in <paramref name="keysFolder"/> when given (a folder every node can
    /// reach); otherwise in <c>{dataDirectory}/keys</c> on SQLite, and in the database itself on
    /// PostgreSQL, so every node sharing the database shares the keys.
    /// </para>
    /// </summary>
    public static StorageHandle Open(string? postgresConnectionString, string dataDirectory, TimeProvider? timeProvider = null, string? keysFolder = null)
    {
        timeProvider ??= TimeProvider.System;
        if (!string.IsNullOrWhiteSpace(postgresConnectionString))
        {
            var dataSource = NpgsqlDataSource.Create(postgresConnectionString);
            var wakeup = new PostgresDeliveryWakeup(dataSource);
            var (protection, protectionOwner) = KeyRingProvider.Create(KeyRingOf(keysFolder) ?? new SqlKeyRing(dataSource));

            // NOTIFY inside the store's transactions reaches this node's LISTEN too, so no local signal is needed.
            var store = new SqlStore(dataSource, PostgresDialect.Instance, new SecretColumns(protection.CreateProtector(SecretColumns.Purpose)));
            return new StorageHandle(store, dataSource, wakeup, timeProvider, protection, [wakeup, dataSource, protectionOwner]);
        }

        OwnerOnlyFiles.CreateFolder(dataDirectory);
        var sqlite = new SqliteFileDataSource(Path.Combine(dataDirectory, SqliteFileName));
        var local = new LocalDeliveryWakeup();
        var (localProtection, localProtectionOwner) = KeyRingProvider.Create(
            KeyRingOf(keysFolder) ?? new FolderKeyRing(Path.Combine(dataDirectory, KeyRingProvider.DefaultFolderName)));
        var sqliteStore = new SqlStore(sqlite, SqliteDialect.Instance, new SecretColumns(localProtection.CreateProtector(SecretColumns.Purpose)), local.Notify);
        var checkpointer = new WalCheckpointer(sqlite, timeProvider);
        // The store's held connections and the checkpointer's loop end before their data source.
        return new StorageHandle(sqliteStore, sqlite, local, timeProvider, localProtection, [checkpointer, sqliteStore, local, sqlite, localProtectionOwner]);
    }

    private static IXmlRepository? KeyRingOf(string? keysFolder) =>
        string.IsNullOrWhiteSpace(keysFolder) ? null : new FolderKeyRing(Path.GetFullPath(keysFolder));
}
