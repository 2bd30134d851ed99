using Posthorn.Core.Repositories;
using Posthorn.Git.Mercurial;
using Posthorn.Git.Repositories;

namespace Posthorn.Extensions;

/// <summary>The domain's view of where repositories live: the git layer's bare repositories and Mercurial ones beside them.</summary>
public sealed class BareRepositoryFolders(BareRepositories bare, HgRepositories mercurial) : IRepositoryFolders
{
    // A slug names one repository, so at most one of {slug}.git and {slug}.hg exists.
    public string PathOf(string owner, string slug) =>
        mercurial.GetDirectory(owner, slug) is var hg && Directory.Exists(hg) ? hg : bare.GetDirectory(owner, slug);

    public async Task CreateAsync(string owner, string slug, CancellationToken ct) => await bare.CreateAsync(owner, slug, ct);

    public async Task CreateAsync(string owner, string slug, string scm, CancellationToken ct)
    {
        if (scm == Scms.Mercurial)
        {
            await mercurial.CreateAsync(owner, slug, ct);
            return;
        }

        await bare.CreateAsync(owner, slug, ct);
    }

    public Task DeleteAsync(string owner, string slug, CancellationToken ct)
    {
        bare.Delete(owner, slug);
        mercurial.Delete(owner, slug);
        return Task.CompletedTask;
    }
}
