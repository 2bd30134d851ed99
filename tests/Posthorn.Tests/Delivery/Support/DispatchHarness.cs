using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Posthorn.Core.PostServices;
using Posthorn.Core.Repositories;
using Posthorn.Delivery.Dispatching;
using Posthorn.Storage;

namespace Posthorn.Tests.Delivery.Support;

/// <summary>A migrated SQLite store in a temp directory plus dispatchers wired by AddPostDelivery with tiny, fast settings.</summary>
public sealed class DispatchHarness : IAsyncDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "posthorn-dispatch-" + Guid.NewGuid().ToString("N"));
    private readonly List<ServiceProvider> providers = [];
    private long repositoryId;

    public StorageHandle Storage { get; private set; } = null!;

    public static async Task<DispatchHarness> StartAsync()
    {
        var harness = new DispatchHarness();
        harness.Storage = PosthornStorage.Open(null, harness.directory);
        await harness.Storage.MigrateAsync(CancellationToken.None);
        var owner = await harness.Storage.Accounts.CreateAccountAsync("alice", "alice@example.com", "hash", false, DateTimeOffset.UtcNow, CancellationToken.None);
        var repository = await harness.Storage.Repositories.CreateRepositoryAsync(new NewRepository(owner.Id, "repo", "Repo", false, ""), DateTimeOffset.UtcNow, CancellationToken.None);
        harness.repositoryId = repository.Id;
        return harness;
    }

    /// <summary>Runs <paramref name="sql"/> on the store's SQLite file through a connection of its own (a test's trigger, say).</summary>
    public async Task ExecuteSqlAsync(string sql)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(directory, PosthornStorage.SqliteFileName)};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public Task<PostService> ServiceAsync(Uri url) =>
        Storage.PostServices.CreateServiceAsync(repositoryId, new PostServiceSettings(url.ToString(), PayloadFormat.Json, true, []), DateTimeOffset.UtcNow, CancellationToken.None);

    public async Task<List<Guid>> EnqueueAsync(PostService service, int count)
    {
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            ids.Add((await Storage.Deliveries.EnqueueAsync(service.Id, "push", $"{{\"n\":{i}}}", DateTimeOffset.UtcNow, CancellationToken.None)).Id);
        }

        return ids;
    }

    /// <summary>Starts a dispatcher as its own "node" (retries every 50 ms, twice, no jitter, unless overridden).</summary>
    public async Task<DeliveryDispatcher> StartDispatcherAsync(string nodeId, Dictionary<string, string?>? settings = null, Action<IServiceCollection>? more = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Delivery:NodeId"] = nodeId,
            ["Delivery:RetrySchedule:0"] = "00:00:00.050",
            ["Delivery:RetrySchedule:1"] = "00:00:00.050",
            ["Delivery:RetrySchedule:2"] = "00:00:00.050",
            ["Delivery:Jitter"] = "0",
            ["Delivery:MaxIdle"] = "00:00:00.050",
            ["Delivery:AttemptTimeout"] = "00:00:02",
        };
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        var provider = Deliveries.Provider(values, services =>
        {
            services.AddSingleton(Storage.Deliveries).AddSingleton(Storage.PostServices).AddSingleton(Storage.Wakeup);
            more?.Invoke(services); // registered last, so a test's store or clock wins
        });
        providers.Add(provider);
        var dispatcher = provider.GetServices<IHostedService>().OfType<DeliveryDispatcher>().Single();
        await dispatcher.StartAsync(CancellationToken.None);
        return dispatcher;
    }

    /// <summary>Polls <paramref name="condition"/> until true or <paramref name="timeout"/> (then fails).</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var until = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, "timed out waiting for " + what);
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in providers)
        {
            foreach (var hosted in provider.GetServices<IHostedService>().OfType<DeliveryDispatcher>())
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await hosted.StopAsync(cts.Token);
            }

            await provider.DisposeAsync();
        }

        await Storage.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory left behind is harmless.
        }
    }
}
