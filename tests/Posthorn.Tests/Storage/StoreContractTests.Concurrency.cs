using System.Collections.Concurrent;
using Posthorn.Core.Pushes;

namespace Posthorn.Tests.Storage;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task ClaimDue_EightNodesAtOnce_NeverGetTheSameDelivery()
    {
        var repository = await RepositoryAsync();
        for (var i = 0; i < 50; i++)
        {
            await ServiceAsync(repository.Id);
        }

        var queued = new List<Guid>();
        for (var i = 0; i < 10; i++)
        {
            queued.AddRange((await Storage.Pushes.RecordPushAsync(PushOf(repository.Id, T0), Ct)).DeliveryIds);
        }

        var claims = new ConcurrentBag<Guid>();
        var nodes = Enumerable.Range(0, 8).Select(n => Task.Run(async () =>
        {
            while (true)
            {
                var batch = await Deliveries.ClaimDueAsync("node-" + n, T0, Lease, 7, Ct);
                if (batch.Count == 0)
                {
                    return;
                }

                foreach (var claimed in batch)
                {
                    claims.Add(claimed.Delivery.Id);
                }
            }
        }));
        await Task.WhenAll(nodes);

        Assert.Equal(500, queued.Count);
        Assert.Equal(500, claims.Count);
        Assert.Equal(queued.Order(), claims.Order());
    }

    [Fact]
    public async Task TwoProcessesWritingAtOnce_NeitherFailsWithDatabaseLocked()
    {
        var repository = await RepositoryAsync();
        await ServiceAsync(repository.Id);
        var other = Fixture.OpenSecond();

        async Task WriteMany(IPushStore pushes) =>
            await Task.Run(async () =>
            {
                for (var i = 0; i < 100; i++)
                {
                    await pushes.RecordPushAsync(PushOf(repository.Id, T0), Ct);
                }
            });

        await Task.WhenAll(WriteMany(Storage.Pushes), WriteMany(other.Pushes), WriteMany(Storage.Pushes), WriteMany(other.Pushes));

        Assert.Equal(400, (await Storage.Pushes.ListPushesAsync(repository.Id, 1000, null, Ct)).Count);
    }

    [Fact]
    public async Task Migrate_TwiceAndFromSeveralProcessesAtOnce_AppliesEachScriptOnce()
    {
        var (first, second) = await Fixture.OpenEmptyPairAsync();

        var applied = await Task.WhenAll(Task.Run(() => first.MigrateAsync(Ct)), Task.Run(() => second.MigrateAsync(Ct)), Task.Run(() => first.MigrateAsync(Ct)));

        Assert.Equal(1, applied.Count(n => n > 0));
        Assert.Equal(0, await second.MigrateAsync(Ct));
        var alice = await first.Accounts.CreateAccountAsync("alice", "a@example.com", "h", false, T0, Ct);
        Assert.Equal(alice, await second.Accounts.FindAccountByIdAsync(alice.Id, Ct));
    }
}
