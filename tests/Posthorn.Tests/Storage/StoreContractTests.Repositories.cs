using Posthorn.Core;
using Posthorn.Core.Deliveries;
using Posthorn.Core.Repositories;

namespace Posthorn.Tests.Storage;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task CreateRepository_SlugTakenByOwner_ThrowsConflict_ButOtherOwnersMayUseIt()
    {
        var alice = await AccountAsync("alice");
        var bob = await AccountAsync("bob");
        await RepositoryAsync("site", alice);

        await Assert.ThrowsAsync<ConflictException>(() => RepositoryAsync("site", alice));
        var bobs = await RepositoryAsync("site", bob);

        Assert.Equal("bob", bobs.Owner);
    }

    [Fact]
    public async Task FindRepository_ByOwnerInAnyCase_AndListOrdersByOwnerThenSlug()
    {
        var bob = await AccountAsync("bob");
        var created = await RepositoryAsync("zeta");
        await RepositoryAsync("alpha");
        await RepositoryAsync("beta", bob);

        var found = await Storage.Repositories.FindRepositoryAsync("Alice", "zeta", Ct);

        Assert.Equal(created, found);
        Assert.Equal("git", found!.Scm);
        Assert.False(found.IsFork);
        Assert.Equal(created, await Storage.Repositories.FindRepositoryByIdAsync(created.Id, Ct));
        Assert.Equal(["alice/alpha", "alice/zeta", "bob/beta"], (await Storage.Repositories.ListRepositoriesAsync(Ct)).Select(r => r.FullName));
    }

    [Fact]
    public async Task SetGrant_CreatesUpdatesAndWithNoneRemoves()
    {
        var repository = await RepositoryAsync();
        var bob = await AccountAsync("bob");

        await Storage.Repositories.SetGrantAsync(repository.Id, bob.Id, Permission.Read, Ct);
        await Storage.Repositories.SetGrantAsync(repository.Id, bob.Id, Permission.Write, Ct);
        Assert.Equal(Permission.Write, await Storage.Repositories.GetGrantAsync(repository.Id, bob.Id, Ct));
        Assert.Equal([new RepositoryGrant(bob.Id, "bob", Permission.Write)], await Storage.Repositories.ListGrantsAsync(repository.Id, Ct));

        await Storage.Repositories.SetGrantAsync(repository.Id, bob.Id, Permission.None, Ct);
        Assert.Equal(Permission.None, await Storage.Repositories.GetGrantAsync(repository.Id, bob.Id, Ct));
        Assert.Empty(await Storage.Repositories.ListGrantsAsync(repository.Id, Ct));
    }

    [Fact]
    public async Task DeleteRepository_RemovesGrantsPushesServicesDeliveriesAndAttempts()
    {
        var (repository, service, deliveryId) = await QueuedAsync();
        var bob = await AccountAsync("bob");
        await Storage.Repositories.SetGrantAsync(repository.Id, bob.Id, Permission.Read, Ct);
        await Deliveries.ClaimDueAsync("node-a", T0, Lease, 10, Ct);
        await Deliveries.SettleAsync("node-a", [Settled(deliveryId, AttemptOutcome.RetryableFailure, DeliveryStatus.Pending, T0.AddMinutes(1))], Ct);

        Assert.True(await Storage.Repositories.DeleteRepositoryAsync(repository.Id, Ct));

        Assert.Null(await Storage.Repositories.FindRepositoryByIdAsync(repository.Id, Ct));
        Assert.Null(await Storage.PostServices.FindServiceAsync(repository.Id, service.Id, Ct));
        Assert.Null(await Deliveries.FindDeliveryAsync(service.Id, deliveryId, Ct));
        Assert.Empty(await Storage.Pushes.ListPushesAsync(repository.Id, 10, null, Ct));
        Assert.Equal(Permission.None, await Storage.Repositories.GetGrantAsync(repository.Id, bob.Id, Ct));
        Assert.Null(await Deliveries.NextDueAtAsync(Ct));
        Assert.False(await Storage.Repositories.DeleteRepositoryAsync(repository.Id, Ct));
    }
}
