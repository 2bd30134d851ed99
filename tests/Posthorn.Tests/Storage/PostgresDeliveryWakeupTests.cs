using Npgsql;
using Posthorn.Core.Deliveries;
using Posthorn.Core.PostServices;
using Posthorn.Core.Repositories;
using Posthorn.Storage.Postgres;

namespace Posthorn.Tests.Storage;

/// <summary>LISTEN/NOTIFY reaches other nodes, and survives the listening connection being killed.</summary>
public sealed class PostgresDeliveryWakeupTests(PostgresStoreFixture fixture) : IClassFixture<PostgresStoreFixture>
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task QueuingOnOneNode_WakesAnotherNode_EvenAfterItsListenConnectionWasKilled()
    {
        var listener = fixture.OpenSecond();
        var wakeup = (PostgresDeliveryWakeup)listener.Wakeup;
        var serviceId = await ServiceAsync();
        await WaitUntilListeningAsync(wakeup);
        await wakeup.WaitAsync(TimeSpan.Zero, CancellationToken.None); // consume the wake-up sent on connecting

        await AssertWokenByEnqueueAsync(wakeup, serviceId);

        await using (var connection = new NpgsqlConnection(PostgresServer.ConnectionString))
        {
            await connection.OpenAsync();
            await using var kill = new NpgsqlCommand($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN {PostgresDialect.Channel}%'", connection);
            await kill.ExecuteNonQueryAsync();
        }

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (wakeup.IsListening && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        await WaitUntilListeningAsync(wakeup);
        await wakeup.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None); // the reconnect wake-up
        await AssertWokenByEnqueueAsync(wakeup, serviceId);
    }

    private async Task AssertWokenByEnqueueAsync(PostgresDeliveryWakeup wakeup, long serviceId)
    {
        var waiting = wakeup.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        await fixture.Storage.Deliveries.EnqueueAsync(serviceId, DeliveryEvents.Ping, "{}", T0, CancellationToken.None);
        Assert.Same(waiting, await Task.WhenAny(waiting, Task.Delay(TimeSpan.FromSeconds(5))));
    }

    private async Task<long> ServiceAsync()
    {
        var storage = fixture.Storage;
        var owner = await storage.Accounts.CreateAccountAsync("w" + Guid.NewGuid().ToString("N")[..8], Guid.NewGuid() + "@example.com", "h", false, T0, CancellationToken.None);
        var repository = await storage.Repositories.CreateRepositoryAsync(new NewRepository(owner.Id, "r", "r", false, ""), T0, CancellationToken.None);
        var service = await storage.PostServices.CreateServiceAsync(repository.Id, new PostServiceSettings("https://x.example/", PayloadFormat.Json, true, []), T0, CancellationToken.None);
        return service.Id;
    }

    private static async Task WaitUntilListeningAsync(PostgresDeliveryWakeup wakeup)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!wakeup.IsListening)
        {
            Assert.True(DateTime.UtcNow < deadline, "LISTEN connection did not come up");
            await Task.Delay(20);
        }
    }
}
