using Posthorn.Core.Repositories;
using Posthorn.Git.Repositories;

namespace Posthorn.Extensions;

/// <summary>The domain's view of where repositories live, served by the git layer's bare repositories.</summary>
public sealed class BareRepositoryFolders(BareRepositories bare) : IRepositoryFolders
{
    public string PathOf(string owner, string slug) => bare.GetDirectory(owner, slug);

    public async Task CreateAsync(string owner, string slug, CancellationToken ct) => await bare.CreateAsync(owner, slug, ct);

    public Task DeleteAsync(string owner, string slug, CancellationToken ct)
    {
        bare.Delete(owner, slug);
        return Task.CompletedTask;
    }
}
