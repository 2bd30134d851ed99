using System.Data;
using System.Data.Common;
using Posthorn.Storage;
using Posthorn.Storage.Sql;
using Posthorn.Storage.Sqlite;

namespace Posthorn.Tests.Storage;

/// <summary>
/// SQLite's held read connections: a read gets a connection whose statements stay compiled from one
/// read to the next; a failed read's connection is closed, never reused; no more than the capacity
/// is kept; closing the store closes them all, and one handed back afterwards too.
/// </summary>
public sealed class HeldReadConnectionsTests : IAsyncLifetime
{
    private const string Select = "SELECT @a * 2";

    private readonly string directory = Directory.CreateTempSubdirectory("posthorn-readers-").FullName;
    private readonly SqliteFileDataSource source;

    public HeldReadConnectionsTests() => source = new SqliteFileDataSource(Path.Combine(directory, PosthornStorage.SqliteFileName));

    [Fact]
    public async Task ReadAgain_SameConnection_SameCompiledStatement()
    {
        await using var readers = new HeldReadConnections(source, capacity: 2);

        var connection = await readers.RentAsync(CancellationToken.None);
        var (statement, value) = await RunAsync(connection, 21L);
        await readers.ReturnAsync(connection, failed: false);
        var again = await readers.RentAsync(CancellationToken.None);
        var (statementAgain, valueAgain) = await RunAsync(again, 50L);

        Assert.Same(connection, again);
        Assert.Same(statement, statementAgain);
        Assert.Equal((42L, 100L), (value, valueAgain));
        await readers.ReturnAsync(again, failed: false);
    }

    [Fact]
    public async Task FailedRead_ClosesItsConnection_AndTheNextReadGetsAnother()
    {
        await using var readers = new HeldReadConnections(source, capacity: 2);

        var connection = await readers.RentAsync(CancellationToken.None);
        await readers.ReturnAsync(connection, failed: true);
        var next = await readers.RentAsync(CancellationToken.None);

        Assert.Equal(ConnectionState.Closed, connection.State);
        Assert.Null(StatementCache.Of(connection));
        Assert.NotSame(connection, next);
        Assert.Equal(42L, (await RunAsync(next, 21L)).Value);
        await readers.ReturnAsync(next, failed: false);
    }

    [Fact]
    public async Task ReturnsBeyondCapacity_AreClosed_AndDisposeClosesTheKeptOnes_AndLateReturns()
    {
        var readers = new HeldReadConnections(source, capacity: 2);
        var rented = new List<DbConnection>();
        for (var i = 0; i < 3; i++)
        {
            rented.Add(await readers.RentAsync(CancellationToken.None));
        }

        foreach (var connection in rented)
        {
            await readers.ReturnAsync(connection, failed: false);
        }

        Assert.Equal(2, readers.Idle);
        Assert.Equal(ConnectionState.Closed, rented[2].State);

        var late = await readers.RentAsync(CancellationToken.None);
        await readers.DisposeAsync();
        Assert.Equal(0, readers.Idle);
        Assert.All(rented.Take(2).Where(c => !ReferenceEquals(c, late)), c => Assert.Equal(ConnectionState.Closed, c.State));

        await readers.ReturnAsync(late, failed: false);
        Assert.Equal(ConnectionState.Closed, late.State);
        Assert.Equal(0, readers.Idle);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // xUnit 2 does not dispose a test class through IAsyncDisposable: its folder was left in /tmp by every test.
    public async Task DisposeAsync()
    {
        await source.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }

    private static Task<(CompiledStatement Statement, long Value)> RunAsync(DbConnection connection, long a)
    {
        var (cache, statement) = SqlCommands.Compiled(connection, Select)!.Value;
        try
        {
            using var rows = statement.Query([("@a", a)], CancellationToken.None);
            Assert.True(rows.Read());
            return Task.FromResult((statement, rows.GetInt64(0)));
        }
        finally
        {
            cache.Return(statement);
        }
    }
}
