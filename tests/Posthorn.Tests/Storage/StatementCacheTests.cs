using System.Data.Common;
using Microsoft.Data.Sqlite;
using Posthorn.Storage;
using Posthorn.Storage.Sql;
using Posthorn.Storage.Sqlite;
using SQLitePCL;

namespace Posthorn.Tests.Storage;

/// <summary>
/// SQLite's held write connection keeps its statements compiled between runs (<see cref="StatementCache"/>);
/// every other connection still gets a fresh command per call, and no run ever sees another's parameters.
/// </summary>
public sealed class StatementCacheTests : IAsyncDisposable
{
    private const string Select = "SELECT @a + 1";

    private readonly string directory = Directory.CreateTempSubdirectory("posthorn-statements-").FullName;
    private readonly SqliteFileDataSource source;

    public StatementCacheTests() => source = new SqliteFileDataSource(Path.Combine(directory, PosthornStorage.SqliteFileName));

    [Fact]
    public async Task Rent_SameStatementAgain_ReusesTheCompiledCommand_WithOnlyTheNewParameters()
    {
        await using var connection = await OpenTrackedAsync();
        using var cache = StatementCache.Attach(connection);

        var first = await RunAsync(connection, Select, ("@a", 1L));
        var second = await RunAsync(connection, Select, ("@a", 41L));

        Assert.Equal((2L, 42L), (first.Value, second.Value));
        Assert.Same(first.Command, second.Command);
        Assert.Equal([Select], LiveStatements(connection)); // compiled once, still alive after both runs
    }

    [Fact]
    public async Task Rent_WithoutACache_GivesAFreshCommandEachTime_AndKeepsNothingCompiled()
    {
        await using var connection = await OpenTrackedAsync();

        var first = await RunAsync(connection, Select, ("@a", 1L));
        var second = await RunAsync(connection, Select, ("@a", 2L));

        Assert.NotSame(first.Command, second.Command);
        Assert.Empty(LiveStatements(connection));
    }

    [Fact]
    public async Task Rent_StatementStillInUse_GetsASeparateCommand_ThatIsNotKept()
    {
        await using var connection = await OpenTrackedAsync();
        using var cache = StatementCache.Attach(connection);

        var outer = cache.Rent(null, Select, [("@a", 1L)]);
        var inner = cache.Rent(null, Select, [("@a", 2L)]);
        Assert.NotSame(outer, inner);
        Assert.Equal((2L, 3L), ((long)(await outer.ExecuteScalarAsync())!, (long)(await inner.ExecuteScalarAsync())!));
        await cache.ReturnAsync(inner);
        await cache.ReturnAsync(outer);

        Assert.Same(outer, cache.Rent(null, Select, [("@a", 3L)]));
    }

    [Fact]
    public async Task Dispose_DetachesTheCache_AndFreesItsStatements()
    {
        await using var connection = await OpenTrackedAsync();
        var cache = StatementCache.Attach(connection);
        await RunAsync(connection, Select, ("@a", 1L));

        cache.Dispose();

        Assert.Null(StatementCache.Of(connection));
        Assert.Empty(LiveStatements(connection));
    }

    [Fact]
    public async Task HeldWriteConnection_IsTheSameUntilDropped_ThenFresh_AndNoneOnceDisposed()
    {
        var held = new HeldWriteConnection(source);
        var first = await held.GetAsync(CancellationToken.None);
        Assert.Same(first, await held.GetAsync(CancellationToken.None));
        Assert.NotNull(StatementCache.Of(first!));

        await held.DropAsync();
        var second = await held.GetAsync(CancellationToken.None);
        Assert.NotSame(first, second);
        Assert.Null(StatementCache.Of(first!));
        Assert.Equal(System.Data.ConnectionState.Closed, first!.State);

        await held.DisposeAsync();
        Assert.Null(await held.GetAsync(CancellationToken.None));
        Assert.Equal(System.Data.ConnectionState.Closed, second!.State);
    }

    public async ValueTask DisposeAsync()
    {
        await source.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }

    private static async Task<(DbCommand Command, long Value)> RunAsync(DbConnection connection, string sql, params (string, object?)[] parameters)
    {
        var command = SqlCommands.Rent(connection, null, sql, parameters);
        try
        {
            return (command, (long)(await command.ExecuteScalarAsync())!);
        }
        finally
        {
            await SqlCommands.ReturnAsync(connection, command);
        }
    }

    /// <summary>A connection whose compiled statements <see cref="LiveStatements"/> can list.</summary>
    private async Task<DbConnection> OpenTrackedAsync()
    {
        var connection = await source.OpenConnectionAsync();
        ((SqliteConnection)connection).Handle!.enable_sqlite3_next_stmt(true);
        return connection;
    }

    /// <summary>The SQL of every statement the connection has compiled and not yet freed.</summary>
    private static List<string> LiveStatements(DbConnection connection)
    {
        var handle = ((SqliteConnection)connection).Handle!;
        var live = new List<string>();
        for (var statement = raw.sqlite3_next_stmt(handle, null); statement is not null; statement = raw.sqlite3_next_stmt(handle, statement))
        {
            live.Add(raw.sqlite3_sql(statement).utf8_to_string());
        }

        return live;
    }
}
