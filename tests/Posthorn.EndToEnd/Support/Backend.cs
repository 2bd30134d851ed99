using Npgsql;

namespace Posthorn.EndToEnd.Support;

/// <summary>
/// Which database an end-to-end server runs on. PostgreSQL comes from POSTHORN_TEST_POSTGRES (the
/// test script starts a throwaway cluster); each server gets a database of its own.
/// </summary>
public static class Backend
{
    public static string? PostgresServer => Environment.GetEnvironmentVariable("POSTHORN_TEST_POSTGRES");

    /// <summary>A connection string to a fresh, empty database, or null for SQLite.</summary>
    public static async Task<string?> NewDatabaseAsync(string backend)
    {
        if (backend == "sqlite")
        {
            return null;
        }

        var server = PostgresServer ?? throw new InvalidOperationException("POSTHORN_TEST_POSTGRES is not set: run the tests with ./test, which starts PostgreSQL.");
        var name = "e2e_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }
}
