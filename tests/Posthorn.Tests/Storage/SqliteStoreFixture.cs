using Microsoft.Data.Sqlite;
using Posthorn.Storage;

namespace Posthorn.Tests.Storage;

/// <summary>A temporary data directory per test class, removed afterwards.</summary>
public sealed class SqliteStoreFixture : IStoreFixture, IAsyncLifetime
{
    private readonly string root = Directory.CreateTempSubdirectory("posthorn-sqlite-").FullName;
    private readonly OpenedHandles handles = new();

    public StorageHandle Storage { get; private set; } = null!;

    private string MainDirectory => Path.Combine(root, "main");

    public async Task InitializeAsync()
    {
        Storage = Open(MainDirectory);
        await Storage.MigrateAsync(CancellationToken.None);
    }

    public StorageHandle OpenSecond() => Open(MainDirectory);

    public Task<(StorageHandle First, StorageHandle Second)> OpenEmptyPairAsync()
    {
        var directory = Path.Combine(root, Guid.NewGuid().ToString("N"));
        return Task.FromResult((Open(directory), Open(directory)));
    }

    public async Task ResetAsync()
    {
        // Everything hangs off accounts through ON DELETE CASCADE, but request bodies (shared by attempts).
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(MainDirectory, PosthornStorage.SqliteFileName)};Foreign Keys=True;Default Timeout=30");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM accounts; DELETE FROM request_bodies";
        await command.ExecuteNonQueryAsync();
    }

    public async Task<object?> RawScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(MainDirectory, PosthornStorage.SqliteFileName)};Foreign Keys=True;Default Timeout=30");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    private StorageHandle Open(string directory) => handles.Open(null, directory);

    public async Task DisposeAsync()
    {
        await handles.DisposeAllAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(root, recursive: true);
    }
}
