using Posthorn.Core.Accounts;
using Posthorn.Core.Deliveries;
using Posthorn.Core.PostServices;
using Posthorn.Core.Pushes;
using Posthorn.Core.Repositories;
using Posthorn.Storage;

namespace Posthorn.Tests.Storage;

/// <summary>
/// The storage contract, written once and run on every backend (the subclasses pick the database).
/// Each test starts from an empty migrated database; times are fixed instants, never the clock.
/// </summary>
public abstract partial class StoreContractTests(IStoreFixture fixture) : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
    protected static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    protected static readonly CancellationToken Ct = CancellationToken.None;

    protected IStoreFixture Fixture => fixture;

    protected StorageHandle Storage => fixture.Storage;

    protected IDeliveryStore Deliveries => fixture.Storage.Deliveries;

    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    protected Task<Account> AccountAsync(string username = "alice") =>
        Storage.Accounts.CreateAccountAsync(username, username + "@example.com", "hash", false, T0, Ct);

    protected async Task<Repository> RepositoryAsync(string slug = "repo", Account? owner = null)
    {
        owner ??= await Storage.Accounts.FindAccountAsync("alice", Ct) ?? await AccountAsync();
        return await Storage.Repositories.CreateRepositoryAsync(new NewRepository(owner.Id, slug, "Repo " + slug, false, ""), T0, Ct);
    }

    protected Task<PostService> ServiceAsync(long repositoryId, bool active = true, string url = "https://ci.example.com/hook") =>
        Storage.PostServices.CreateServiceAsync(repositoryId, new PostServiceSettings(url, PayloadFormat.BitbucketPost, active, ["s1"]), T0, Ct);

    protected static NewPush PushOf(long repositoryId, DateTimeOffset at, string payload = "{\"commits\":[]}") =>
        new(repositoryId, "alice", at, [new RefUpdate("refs/heads/main", RefUpdate.ZeroId, new string('a', 40))], 1, payload);

    /// <summary>A repository with one active service and one push queued to it.</summary>
    protected async Task<(Repository Repository, PostService Service, Guid DeliveryId)> QueuedAsync(DateTimeOffset? at = null)
    {
        var repository = await RepositoryAsync();
        var service = await ServiceAsync(repository.Id);
        var recorded = await Storage.Pushes.RecordPushAsync(PushOf(repository.Id, at ?? T0), Ct);
        return (repository, service, recorded.DeliveryIds.Single());
    }

    /// <summary>The service failure counts a settlement answered with (null: the lease was lost).</summary>
    protected static int?[] Failures(IEnumerable<SettledDelivery?> settled) => settled.Select(s => s?.ServiceFailures).ToArray();

    protected static Settlement Settled(Guid deliveryId, AttemptOutcome outcome, DeliveryStatus status, DateTimeOffset? next, string node = "node-a", DateTimeOffset? at = null) =>
        new(new Attempt(deliveryId, 0, node, at ?? T0, TimeSpan.FromMilliseconds(42), "https://ci.example.com/hook", "Content-Type: x", "payload=...",
                outcome == AttemptOutcome.Succeeded ? 200 : 500, "Server: test", "ok", outcome == AttemptOutcome.Succeeded ? null : "HTTP 500", outcome),
            status, next);
}

public sealed class SqliteStoreContractTests(SqliteStoreFixture fixture) : StoreContractTests(fixture), IClassFixture<SqliteStoreFixture>;

public sealed class PostgresStoreContractTests(PostgresStoreFixture fixture) : StoreContractTests(fixture), IClassFixture<PostgresStoreFixture>;
