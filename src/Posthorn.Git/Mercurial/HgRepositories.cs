using Microsoft.Extensions.Options;
using Posthorn.Core.Repositories;
using Posthorn.Git.Processes;
using Posthorn.Git.Repositories;

namespace Posthorn.Git.Mercurial;

/// <summary>
/// Mercurial repositories on disk: owner/slug lives at {RepositoriesRoot}/{owner}/{slug}.hg, beside
/// the git ones ({slug}.git); a slug names one repository, so at most one of the two exists. The
/// repository has no working copy: only .hg/ is ever written. Thread-safe.
/// </summary>
public sealed class HgRepositories(GitRunner runner, IOptions<GitOptions> git, IOptions<MercurialOptions> options)
{
    /// <exception cref="ArgumentException">The owner or slug is not a valid name.</exception>
    public string GetDirectory(string owner, string slug)
    {
        if (!RepositoryName.IsValidUsername(owner) || !RepositoryName.IsValidSlug(slug))
        {
            throw new ArgumentException($"'{owner}/{slug}' is not a valid repository name.");
        }

        return Path.Combine(Path.GetFullPath(git.Value.RepositoriesRoot), owner, slug + ".hg");
    }

    public static bool IsRepository(string directory) => Directory.Exists(Path.Combine(directory, ".hg", "store"));

    /// <summary>Creates an empty repository and returns its directory.</summary>
    /// <exception cref="IOException">The directory already exists.</exception>
    public async Task<string> CreateAsync(string owner, string slug, CancellationToken ct)
    {
        var directory = GetDirectory(owner, slug);
        if (Directory.Exists(directory))
        {
            throw new IOException($"Repository directory for {owner}/{slug} already exists.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(directory)!);
        var init = new GitInvocation(["init", directory]) { Program = options.Value.HgPath, Environment = HgCommand.Environment };
        await runner.RunCheckedAsync(init, ct).ConfigureAwait(false);
        return directory;
    }

    /// <returns>false when there was nothing to delete.</returns>
    public bool Delete(string owner, string slug) => BareRepositories.DeleteDirectory(GetDirectory(owner, slug));
}
