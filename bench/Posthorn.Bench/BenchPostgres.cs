using Npgsql;

namespace Posthorn.Bench;

/// <summary>
/// The PostgreSQL server the benchmark may use: POSTHORN_BENCH_POSTGRES (bench/run starts a throwaway
/// cluster with scripts/pg-temp and sets it). Each drain gets a fresh database so runs never see each
/// other's rows.
/// </summary>
public static class BenchPostgres
{
    public static string? ConnectionString => Environment.GetEnvironmentVariable("POSTHORN_BENCH_POSTGRES") is { Length: > 0 } s ? s : null;

    /// <summary>Creates an empty database on the server and returns its connection string.</summary>
    public static async Task<string> FreshDatabaseAsync(string server)
    {
        var name = $"bench_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }
}
