using Npgsql;
using Posthorn.Core.PostServices;
using Posthorn.Core.Repositories;
using Posthorn.Storage;
using Posthorn.Storage.Postgres;
using Posthorn.Storage.Sql;

namespace Posthorn.Tests.Storage;

/// <summary>
/// PostgreSQL's plan for the claim's candidates on a freshly filled queue that autovacuum has not
/// analysed yet: it must walk the pending index in due order, never fetch and sort every pending row.
/// Before the claim priced sorting out, the planner guessed a handful of pending rows from the missing
/// statistics and sorted all 20,000 on every claim (26-39 ms each); no behaviour test can see that.
/// </summary>
public sealed class PostgresClaimPlanTests : IAsyncLifetime
{
    private const int Services = 50;
    private const int Pending = 20_000;

    private readonly string name = "posthorn_plan_" + Guid.NewGuid().ToString("N")[..16];
    private readonly string data = Directory.CreateTempSubdirectory("posthorn-pgplan-").FullName;
    private string connectionString = "";
    private StorageHandle storage = null!;

    public async Task InitializeAsync()
    {
        await ExecuteAsync(PostgresServer.ConnectionString, $"CREATE DATABASE {name}");
        connectionString = new NpgsqlConnectionStringBuilder(PostgresServer.ConnectionString) { Database = name }.ToString();
        storage = PosthornStorage.Open(connectionString, data);
        await storage.MigrateAsync(CancellationToken.None);

        // No statistics may appear while the test runs: that is the state being tested.
        await ExecuteAsync(connectionString,
            "ALTER TABLE deliveries SET (autovacuum_enabled = false); ALTER TABLE post_services SET (autovacuum_enabled = false); ALTER TABLE repositories SET (autovacuum_enabled = false)");
        var at = DateTimeOffset.UnixEpoch;
        var owner = await storage.Accounts.CreateAccountAsync("ann", "ann@example.com", "hash", false, at, CancellationToken.None);
        var repository = await storage.Repositories.CreateRepositoryAsync(new NewRepository(owner.Id, "tool", "tool", false, ""), at, CancellationToken.None);
        for (var s = 0; s < Services; s++)
        {
            await storage.PostServices.CreateServiceAsync(repository.Id, new PostServiceSettings($"https://ci.example.com/{s}", PayloadFormat.BitbucketPost, true, []), at, CancellationToken.None);
        }

        await ExecuteAsync(connectionString,
            $"""
            INSERT INTO deliveries (id, service_id, repository_id, event, payload, status, created_at, next_attempt_at)
            SELECT lpad(n::text, 36, '0'), (SELECT min(id) FROM post_services) + n % {Services}, {repository.Id}, 'push', NULL, 0, n, n
            FROM generate_series(1, {Pending}) AS n
            """);
    }

    public async Task DisposeAsync()
    {
        await storage.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(PostgresServer.ConnectionString, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        Directory.Delete(data, recursive: true);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(3, 2)]
    public async Task Candidates_OnAnUnanalysedQueue_WalkThePendingIndexWithoutSorting(int fullServices, int fullOwners)
    {
        var plan = await PlanAsync(PostgresDialect.Instance.ClaimPlanSetting, fullServices, fullOwners);

        Assert.Contains("\"Index Name\": \"ix_deliveries_due\"", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("\"Node Type\": \"Sort\"", plan, StringComparison.Ordinal);
    }

    /// <summary>
    /// The check above can fail: a statement the index cannot give in due order (the same one without
    /// its held filter, so the index's second column is not fixed), planned without the claim's
    /// setting, sorts every pending row.
    /// </summary>
    [Fact]
    public async Task Candidates_TheIndexCannotOrder_SortTheWholeQueue()
    {
        var plan = await PlanAsync(null, 0, 0, statement => statement.Replace(" AND d.held = 0", "", StringComparison.Ordinal));

        Assert.Contains("\"Node Type\": \"Sort\"", plan, StringComparison.Ordinal);
    }

    private async Task<string> PlanAsync(string? setting, int fullServices, int fullOwners, Func<string, string>? change = null)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        if (setting is not null)
        {
            await using var set = new NpgsqlCommand(setting, connection, transaction);
            await set.ExecuteNonQueryAsync();
        }

        var statement = (change ?? (s => s))(SqlStore.CandidatesStatement(PostgresDialect.Instance, fullServices, fullOwners));
        await using var explain = new NpgsqlCommand("EXPLAIN (FORMAT JSON) " + statement, connection, transaction);
        explain.Parameters.AddWithValue("now", long.MaxValue);
        explain.Parameters.AddWithValue("window", 128L);
        for (var i = 0; i < SqlStore.PaddedLength(fullServices); i++)
        {
            explain.Parameters.AddWithValue("full" + i, (long)(i + 1));
        }

        for (var i = 0; i < SqlStore.PaddedLength(fullOwners); i++)
        {
            explain.Parameters.AddWithValue("owner" + i, (long)(i + 1000));
        }

        return (string)(await explain.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(string connection, string sql)
    {
        await using var open = new NpgsqlConnection(connection);
        await open.OpenAsync();
        await using var command = new NpgsqlCommand(sql, open);
        await command.ExecuteNonQueryAsync();
    }
}
