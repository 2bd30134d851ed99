using Posthorn.EndToEnd.PostService;
using Posthorn.EndToEnd.Support;

namespace Posthorn.EndToEnd.Mercurial;

/// <summary>The usual start of a Mercurial push test: alice's repository, a POST service on it, and a clone to commit in.</summary>
public static class HgWork
{
    /// <summary>Creates hg repository alice/<paramref name="slug"/> with a service posting to {<paramref name="receiverUrl"/>}/{slug}, clones it, and returns the clone's path.</summary>
    public static async Task<string> CloneWithServiceAsync(Site site, HgCli hg, string slug, string receiverUrl)
    {
        await site.CreateRepositoryAsync(slug, scm: "hg");
        await Hook.AddAsync(site, slug, receiverUrl + "/" + slug);
        var work = Path.Combine(site.Folder.Path, "work");
        await hg.RunAsync(site.Folder.Path, "clone", HgCli.Url(site, slug), work);
        return work;
    }
}
