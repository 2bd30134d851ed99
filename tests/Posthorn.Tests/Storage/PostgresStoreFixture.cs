using Npgsql;
using Posthorn.Storage;

namespace Posthorn.Tests.Storage;

/// <summary>A fresh database (CREATE DATABASE) per test class on <see cref="PostgresServer"/>, dropped afterwards.</summary>
public sealed class PostgresStoreFixture : IStoreFixture, IAsyncLifetime
{
    private readonly OpenedHandles handles = new();
    private readonly List<string> databases = [];
    private string mainConnectionString = "";

    public StorageHandle Storage { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        mainConnectionString = await CreateDatabaseAsync();
        Storage = Open(mainConnectionString);
        await Storage.MigrateAsync(CancellationToken.None);
    }

    public StorageHandle OpenSecond() => Open(mainConnectionString);

    public async Task<(StorageHandle First, StorageHandle Second)> OpenEmptyPairAsync()
    {
        var connectionString = await CreateDatabaseAsync();
        return (Open(connectionString), Open(connectionString));
    }

    public async Task ResetAsync()
    {
        await using var connection = new NpgsqlConnection(mainConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("DELETE FROM accounts; DELETE FROM request_bodies", connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<object?> RawScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(mainConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private async Task<string> CreateDatabaseAsync()
    {
        var name = "posthorn_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(PostgresServer.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        databases.Add(name);
        return new NpgsqlConnectionStringBuilder(PostgresServer.ConnectionString) { Database = name }.ToString();
    }

    private StorageHandle Open(string connectionString) => handles.Open(connectionString, Path.GetTempPath());

    public async Task DisposeAsync()
    {
        await handles.DisposeAllAsync();
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(PostgresServer.ConnectionString);
        await connection.OpenAsync();
        foreach (var name in databases)
        {
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
