using Microsoft.Data.Sqlite;
using Posthorn.Storage;
using Posthorn.Storage.Sql;
using Posthorn.Storage.Sqlite;

namespace Posthorn.Tests.Storage;

/// <summary>
/// SQLite's plan for the claim's lease and release statements and the settlement's many-row moves and
/// service updates, on the real migrated schema: they must find their rows by primary key. With ten or more ids SQLite's planner preferred the pending
/// index (status = 0) and read every pending delivery on every claim, a cost that grew with the
/// backlog and that no behaviour test can see.
/// </summary>
public sealed class ClaimQueryPlanTests : IAsyncLifetime
{
    private readonly string root = Directory.CreateTempSubdirectory("posthorn-plan-").FullName;
    private StorageHandle storage = null!;

    public async Task InitializeAsync()
    {
        storage = PosthornStorage.Open(null, root);
        await storage.MigrateAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await storage.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(root, recursive: true);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(64)]
    public async Task Lease_SeeksItsDeliveriesByPrimaryKey_NotThroughThePendingIndex(int ids)
    {
        var plan = await PlanAsync(SqlStore.LeaseStatement(ids), ids, "@node", "@until", "@now");

        Assert.Contains(plan, line => line.Contains("deliveries", StringComparison.Ordinal) && line.Contains("(id=?)", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, line => line.Contains("ix_deliveries_due", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Release_SeeksItsDeliveriesByPrimaryKey_NotThroughThePendingIndex()
    {
        var plan = await PlanAsync(SqlStore.ReleaseStatement(40), 40, "@node", "@until");

        Assert.Contains(plan, line => line.Contains("deliveries", StringComparison.Ordinal) && line.Contains("(id=?)", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, line => line.Contains("ix_deliveries_due", StringComparison.Ordinal));
    }

    /// <summary>The check above can fail: the same statement with a plain status filter goes through the pending index.</summary>
    [Fact]
    public async Task PlainStatusFilter_WithManyIds_TakesThePendingIndex()
    {
        var plain = SqlStore.LeaseStatement(40).Replace("+status", "status", StringComparison.Ordinal);

        var plan = await PlanAsync(plain, 40, "@node", "@until", "@now");

        Assert.Contains(plan, line => line.Contains("ix_deliveries_due", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(64)]
    public async Task SettlementMoves_SeekTheirDeliveriesByPrimaryKey(int rows)
    {
        var perRow = Enumerable.Range(0, rows).SelectMany(i => new[] { "@st", "@next", "@done", "@rs", "@err" }.Select(name => name + i));

        var plan = await PlanAsync(SqlStore.MoveRowsSql(rows), rows, [.. perRow, "@node"]);

        Assert.Contains(plan, line => line.Contains("SEARCH deliveries", StringComparison.Ordinal) && line.Contains("(id=?)", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, line => line.Contains("SCAN deliveries", StringComparison.Ordinal) || line.Contains("ix_deliveries_due", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SettlementServiceUpdates_SeekTheirServicesByPrimaryKey()
    {
        var parameters = Enumerable.Range(0, 16).SelectMany(i => new[] { "@s", "@o", "@start" }.Select(name => name + i)).ToArray();

        var plan = await PlanAsync(SqlStore.ClearHealthRowsSql(16), 0, parameters);

        Assert.Contains(plan, line => line.Contains("SEARCH post_services", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, line => line.Contains("SCAN post_services", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Candidates_WalkTheUnheldPendingRowsInDueOrder()
    {
        var plan = await PlanAsync(SqlStore.CandidatesStatement(SqliteDialect.Instance, 0, 0), 0, "@now", "@window");

        Assert.Contains(plan, line => line.Contains("ix_deliveries_due (status=? AND held=? AND next_attempt_at<?)", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, line => line.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }

    // A held queue is read by service through its own index, never through the pending index (every
    // held row of every service) nor the service's whole history.
    [Fact]
    public async Task HeldQueueReads_GoThroughTheHeldIndex()
    {
        var probe = await PlanAsync(SqlStore.HeldQueuesStatement(SqliteDialect.Instance), 0, "@now");
        var release = await PlanAsync(SqlStore.ReleaseRowsStatement(SqliteDialect.Instance), 0, "@s", "@n");
        var nextDue = await PlanAsync(SqlStore.NextDueStatement(SqliteDialect.Instance), 0);
        var stray = await PlanAsync(SqlStore.StrayHeldStatement(SqliteDialect.Instance), 0);

        Assert.Contains(probe, line => line.Contains("ix_deliveries_held (service_id=?", StringComparison.Ordinal));
        Assert.Contains(probe, line => line.Contains("ix_post_services_queue_held", StringComparison.Ordinal));
        Assert.Contains(release, line => line.Contains("ix_deliveries_held (service_id=?)", StringComparison.Ordinal));
        Assert.Contains(nextDue, line => line.Contains("ix_deliveries_held (service_id=?)", StringComparison.Ordinal));
        Assert.Contains(nextDue, line => line.Contains("ix_deliveries_due (status=? AND held=?)", StringComparison.Ordinal));
        Assert.Contains(stray, line => line.Contains("ix_deliveries_held", StringComparison.Ordinal)); // once an hour: all held rows, never the whole table
        Assert.All(probe.Concat(release).Concat(nextDue).Concat(stray), line => Assert.DoesNotContain("SCAN d", line, StringComparison.Ordinal));
    }

    /// <summary>The check above can fail: the release without its index hint goes through the pending index.</summary>
    [Fact]
    public async Task ReleaseWithoutTheHint_TakesThePendingIndex()
    {
        var plain = SqlStore.ReleaseRowsStatement(SqliteDialect.Instance).Replace(" INDEXED BY ix_deliveries_held", "", StringComparison.Ordinal);

        var plan = await PlanAsync(plain, 0, "@s", "@n");

        Assert.DoesNotContain(plan, line => line.Contains("ix_deliveries_held", StringComparison.Ordinal));
    }

    private async Task<List<string>> PlanAsync(string statement, int ids, params string[] parameters)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(root, PosthornStorage.SqliteFileName)}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + statement;
        foreach (var name in parameters.Concat(Enumerable.Range(0, SqlStore.PaddedLength(ids)).Select(i => "@id" + i)))
        {
            command.Parameters.AddWithValue(name, 0);
        }

        var plan = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(3));
        }

        return plan;
    }
}
