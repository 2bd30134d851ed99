using System.Data.Common;
using Microsoft.Data.Sqlite;
using Posthorn.Storage;
using Posthorn.Storage.Sql;
using Posthorn.Storage.Sqlite;
using SQLitePCL;

namespace Posthorn.Tests.Storage;

/// <summary>
/// SQLite's held connections keep their statements compiled between runs (<see cref="StatementCache"/>)
/// and run them through SQLite's own API (<see cref="CompiledStatement"/>), behaving as the provider
/// does where the store can tell; every other connection still gets a fresh provider command per call,
/// and no run ever sees another's parameters.
/// </summary>
public sealed class StatementCacheTests : IAsyncLifetime
{
    private const string Select = "SELECT @a + 1";

    private readonly string directory = Directory.CreateTempSubdirectory("posthorn-statements-").FullName;
    private readonly SqliteFileDataSource source;

    public StatementCacheTests() => source = new SqliteFileDataSource(Path.Combine(directory, PosthornStorage.SqliteFileName));

    [Fact]
    public async Task Rent_SameStatementAgain_ReusesTheCompiledStatement_WithOnlyTheNewParameters()
    {
        await using var connection = await OpenTrackedAsync();
        using var cache = StatementCache.Attach(connection);

        var first = Run(cache, Select, ("@a", 1L));
        var second = Run(cache, Select, ("@a", 41L));

        Assert.Equal((2L, 42L), (first.Value, second.Value));
        Assert.Same(first.Statement, second.Statement);
        Assert.Equal([Select], LiveStatements(connection)); // compiled once, still alive after both runs
    }

    [Fact]
    public async Task WithoutACache_EachCallRunsThroughTheProvider_AndKeepsNothingCompiled()
    {
        await using var connection = await OpenTrackedAsync();

        Assert.Null(SqlCommands.Compiled(connection, Select));
        Assert.Equal(2L, await SqlCommands.ScalarAsync(connection, null, Select, CancellationToken.None, ("@a", 1L)));
        Assert.Equal(3L, await SqlCommands.ScalarAsync(connection, null, Select, CancellationToken.None, ("@a", 2L)));

        Assert.Empty(LiveStatements(connection));
    }

    [Fact]
    public async Task Rent_StatementStillInUse_GetsASeparateCompilation_ThatIsFreedOnReturn()
    {
        await using var connection = await OpenTrackedAsync();
        using var cache = StatementCache.Attach(connection);

        var outer = cache.Rent(Select)!;
        var inner = cache.Rent(Select)!;
        Assert.NotSame(outer, inner);
        using (var outerRows = outer.Query([("@a", 1L)], CancellationToken.None))
        using (var innerRows = inner.Query([("@a", 2L)], CancellationToken.None))
        {
            Assert.True(outerRows.Read() && innerRows.Read());
            Assert.Equal((2L, 3L), (outerRows.GetInt64(0), innerRows.GetInt64(0)));
        }

        cache.Return(inner);
        cache.Return(outer);

        Assert.Single(LiveStatements(connection));
        Assert.Same(outer, cache.Rent(Select));
    }

    [Fact]
    public async Task Compiled_BindsByName_InAnyOrder_IgnoresExtras_AndRoundTripsEveryKindOfValue()
    {
        await using var connection = await source.OpenConnectionAsync();
        using var cache = StatementCache.Attach(connection);
        var longText = string.Concat(Enumerable.Repeat("ünïcødé ✓ ", 200)); // past the stack buffer
        var row = await SqlCommands.ListAsync(connection, null, "SELECT @t, @n, @i, @d, @b, @s, typeof(@n)",
            r => (r.GetString(0), r.IsDBNull(1), r.GetInt64(2), r.GetDouble(3), (byte[])r.GetValue(4), r.GetString(5), r.GetString(6)),
            CancellationToken.None,
            ("@s", "é"), ("@extra", 7L), ("@b", new byte[] { 0, 1, 255 }), ("@d", 2.5), ("@i", long.MinValue), ("@n", null), ("@t", longText));

        var (text, isNull, integer, real, blob, shortText, nullType) = Assert.Single(row);
        Assert.Equal((longText, true, long.MinValue, 2.5, "é", "null"), (text, isNull, integer, real, shortText, nullType));
        Assert.Equal([0, 1, 255], blob);
    }

    [Fact]
    public async Task Compiled_MissingParameter_ReadingNull_AndSqlErrors_FailAsTheProviderDoes()
    {
        await using var connection = await source.OpenConnectionAsync();
        using var cache = StatementCache.Attach(connection);
        await SqlCommands.ExecuteAsync(connection, null, "CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NULL)", CancellationToken.None);
        await SqlCommands.ExecuteAsync(connection, null, "INSERT INTO t (k, v) VALUES (@k, @v)", CancellationToken.None, ("@k", "a"), ("@v", null));

        var missing = await Assert.ThrowsAsync<InvalidOperationException>(() => SqlCommands.ScalarAsync(connection, null, "SELECT @a + @b", CancellationToken.None, ("@a", 1L)));
        Assert.Contains("@b", missing.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(() => SqlCommands.ScalarAsync(connection, null, "SELECT @a + @b", CancellationToken.None, ("@a", 1L), ("@a", 2L)));
        await Assert.ThrowsAsync<InvalidOperationException>(() => SqlCommands.ListAsync(connection, null, "SELECT v FROM t", r => r.GetInt64(0), CancellationToken.None));

        var duplicate = await Assert.ThrowsAsync<SqliteException>(() =>
            SqlCommands.ExecuteAsync(connection, null, "INSERT INTO t (k, v) VALUES (@k, @v)", CancellationToken.None, ("@k", "a"), ("@v", 1L)));
        Assert.True(SqliteDialect.Instance.IsUniqueViolation(duplicate));

        // The failed statement is usable again at once.
        Assert.Equal(1, await SqlCommands.ExecuteAsync(connection, null, "INSERT INTO t (k, v) VALUES (@k, @v)", CancellationToken.None, ("@k", "b"), ("@v", 2L)));
    }

    [Fact]
    public async Task Compiled_Execute_CountsChangedRows_AndRowsLeftUnread_AreResetOnDispose()
    {
        await using var connection = await OpenTrackedAsync();
        using var cache = StatementCache.Attach(connection);
        await SqlCommands.ExecuteAsync(connection, null, "CREATE TABLE t (v INTEGER)", CancellationToken.None);
        for (var i = 0; i < 3; i++)
        {
            await SqlCommands.ExecuteAsync(connection, null, "INSERT INTO t (v) VALUES (@v)", CancellationToken.None, ("@v", (long)i));
        }

        Assert.Equal(2, await SqlCommands.ExecuteAsync(connection, null, "UPDATE t SET v = v + 10 WHERE v > @v RETURNING v", CancellationToken.None, ("@v", 0L)));
        Assert.Equal(-1, await SqlCommands.ExecuteAsync(connection, null, "SELECT v FROM t", CancellationToken.None));
        Assert.Equal(0L, await SqlCommands.ScalarAsync(connection, null, "SELECT v FROM t ORDER BY v", CancellationToken.None)); // one row of three read

        // No statement is left mid-run: none holds a read snapshot that would keep a checkpoint from finishing.
        var handle = ((SqliteConnection)connection).Handle!;
        for (var statement = raw.sqlite3_next_stmt(handle, null); statement is not null; statement = raw.sqlite3_next_stmt(handle, statement))
        {
            Assert.Equal(0, raw.sqlite3_stmt_busy(statement));
        }
    }

    [Fact]
    public async Task SeveralStatementsInOneText_RunThroughTheProvider()
    {
        await using var connection = await OpenTrackedAsync();
        using var cache = StatementCache.Attach(connection);

        Assert.Null(cache.Rent("CREATE TABLE a (v INTEGER); CREATE TABLE b (v INTEGER);"));
        await SqlCommands.ExecuteAsync(connection, null, "CREATE TABLE a (v INTEGER); CREATE TABLE b (v INTEGER);", CancellationToken.None);

        Assert.Equal(2L, await SqlCommands.ScalarAsync(connection, null, "SELECT count(*) FROM sqlite_master WHERE name IN ('a', 'b')", CancellationToken.None));
    }

    [Fact]
    public async Task Dispose_DetachesTheCache_AndFreesItsStatements()
    {
        await using var connection = await OpenTrackedAsync();
        var cache = StatementCache.Attach(connection);
        Run(cache, Select, ("@a", 1L));

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

    public Task InitializeAsync() => Task.CompletedTask;

    // xUnit 2 does not dispose a test class through IAsyncDisposable: its folder was left in /tmp by every test.
    public async Task DisposeAsync()
    {
        await source.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }

    private static (CompiledStatement Statement, long Value) Run(StatementCache cache, string sql, params (string, object?)[] parameters)
    {
        var statement = cache.Rent(sql)!;
        try
        {
            using var rows = statement.Query(parameters, CancellationToken.None);
            Assert.True(rows.Read());
            return (statement, rows.GetInt64(0));
        }
        finally
        {
            cache.Return(statement);
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
