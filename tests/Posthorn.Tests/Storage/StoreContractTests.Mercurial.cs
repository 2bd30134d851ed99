using Posthorn.Core.Pushes;
using Posthorn.Core.Repositories;

namespace Posthorn.Tests.Storage;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task CreateRepository_KeepsItsScm_GitUnlessToldMercurial()
    {
        var owner = await AccountAsync();
        await Storage.Repositories.CreateRepositoryAsync(new NewRepository(owner.Id, "tools", "Tools", false, "", Scms.Mercurial), T0, Ct);
        await RepositoryAsync("plain", owner);

        Assert.Equal(Scms.Mercurial, (await Storage.Repositories.FindRepositoryAsync("alice", "tools", Ct))!.Scm);
        Assert.Equal(Scms.Git, (await Storage.Repositories.FindRepositoryAsync("alice", "plain", Ct))!.Scm);
        Assert.Equal(new[] { ("plain", Scms.Git), ("tools", Scms.Mercurial) }, (await Storage.Repositories.ListRepositoriesAsync(Ct)).Select(r => (r.Slug, r.Scm)));
    }

    [Fact]
    public async Task RecordPush_OfMercurialRefs_BranchesWithSpacesBookmarksAndTags_AreRecordedAsGiven()
    {
        var owner = await AccountAsync();
        var repository = await Storage.Repositories.CreateRepositoryAsync(new NewRepository(owner.Id, "tools", "Tools", false, "", Scms.Mercurial), T0, Ct);
        var node = new string('c', 40);

        await Storage.Pushes.RecordPushAsync(PushOf(repository.Id, T0) with
        {
            RefUpdates =
            [
                new RefUpdate("refs/bookmarks/stable", RefUpdate.ZeroId, node),
                new RefUpdate("refs/heads/my feature", RefUpdate.ZeroId, node),
                new RefUpdate("refs/tags/v1.0", RefUpdate.ZeroId, node),
            ],
        }, Ct);

        Assert.Equal(
            new Dictionary<string, string> { ["refs/bookmarks/stable"] = node, ["refs/heads/my feature"] = node, ["refs/tags/v1.0"] = node },
            await Storage.Pushes.GetRecordedRefsAsync(repository.Id, Ct));
    }
}
