using Npgsql;

namespace Posthorn.EndToEnd.Support;

/// <summary>
/// Which database an end-to-end server runs on. PostgreSQL comes from POSTHORN_TEST_POSTGRES (the
/// test script starts a throwaway cluster); each server gets a database of its own.
/// </summary>
public static class Backend
{
    public static string? PostgresServer => Environment.GetEnvironmentVariable("POSTHORN_TEST_POSTGRES");

    // Copies are made one at a time: PostgreSQL refuses to copy a template any session is connected to,
    // and in series no copy can be that session.
    private static readonly SemaphoreSlim Copying = new(1);

    /// <summary>A connection string to a fresh, empty database, or null for SQLite.</summary>
    public static Task<string?> NewDatabaseAsync(string backend) =>
        backend == "sqlite" ? Task.FromResult<string?>(null) : CreateAsync("");

    /// <summary>A new PostgreSQL database with the content of <paramref name="template"/> (a connection string nobody is connected with).</summary>
    public static async Task<string?> CopyDatabaseAsync(string template)
    {
        await Copying.WaitAsync();
        try
        {
            return await CreateAsync($" TEMPLATE {new NpgsqlConnectionStringBuilder(template).Database}");
        }
        finally
        {
            Copying.Release();
        }
    }

    private static async Task<string?> CreateAsync(string clause)
    {
        var server = PostgresServer ?? throw new InvalidOperationException("POSTHORN_TEST_POSTGRES is not set: run the tests with ./test, which starts PostgreSQL.");
        var name = "e2e_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}{clause}", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }
}
