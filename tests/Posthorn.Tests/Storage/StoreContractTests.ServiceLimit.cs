using Posthorn.Core;
using Posthorn.Core.PostServices;

namespace Posthorn.Tests.Storage;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task CreateService_AtTheRepositorysLimit_IsAConflict_OtherRepositoriesUnaffected()
    {
        var full = await RepositoryAsync("full");
        var other = await RepositoryAsync("other");
        var settings = new PostServiceSettings("https://ci.example.com/hook", PayloadFormat.Json, true, []);
        for (var i = 0; i < 3; i++)
        {
            await Storage.PostServices.CreateServiceAsync(full.Id, settings, 3, T0, Ct);
        }

        var refused = await Assert.ThrowsAsync<ConflictException>(() => Storage.PostServices.CreateServiceAsync(full.Id, settings, 3, T0, Ct));

        Assert.Contains("PostServices:MaxPerRepository", refused.Message, StringComparison.Ordinal);
        Assert.Equal(3, (await Storage.PostServices.ListServicesAsync(full.Id, Ct)).Count);
        await Storage.PostServices.CreateServiceAsync(other.Id, settings, 3, T0, Ct);
    }

    [Fact]
    public async Task CreateService_ConcurrentCreatesAtTheLimit_NeverPassItTogether()
    {
        var repository = await RepositoryAsync();
        var settings = new PostServiceSettings("https://ci.example.com/hook", PayloadFormat.Json, true, []);

        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Task.Run(async () =>
        {
            try
            {
                await Storage.PostServices.CreateServiceAsync(repository.Id, settings, 5, T0, Ct);
                return true;
            }
            catch (ConflictException)
            {
                return false;
            }
        })));

        Assert.Equal(5, results.Count(created => created));
        Assert.Equal(5, (await Storage.PostServices.ListServicesAsync(repository.Id, Ct)).Count);
    }
}
