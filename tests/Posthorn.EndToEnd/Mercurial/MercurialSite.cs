using Posthorn.EndToEnd.Support;

namespace Posthorn.EndToEnd.Mercurial;

/// <summary>One real server with a public and a private Mercurial repository, each with one changeset pushed by alice.</summary>
public sealed class MercurialSite : IAsyncLifetime
{
    public Site Site { get; private set; } = null!;

    public HgCli Hg { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Site = await Site.StartAsync();
        Hg = new HgCli(Site.Folder.Sub("hg-home"));
        foreach (var (slug, isPrivate) in new[] { ("open", false), ("secret", true) })
        {
            await Site.CreateRepositoryAsync(slug, isPrivate, "hg");
            var work = Path.Combine(Site.Folder.Path, "seed-" + slug);
            await Hg.RunAsync(Site.Folder.Path, "clone", HgCli.Url(Site, slug), work);
            await Hg.CommitFileAsync(work, "README", "hello\n", "seed");
            await Hg.RunAsync(work, "push", HgCli.Url(Site, slug));
        }
    }

    public async Task DisposeAsync() => await Site.DisposeAsync();
}
