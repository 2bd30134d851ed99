using Microsoft.Extensions.Options;
using Posthorn.Core.Repositories;
using Posthorn.Git.Processes;

namespace Posthorn.Git.Repositories;

/// <summary>
/// The bare repositories on disk: owner/slug lives at {RepositoriesRoot}/{owner}/{slug}.git.
/// Names are validated with <see cref="RepositoryName"/> before they become paths. Thread-safe.
/// </summary>
public sealed class BareRepositories(GitRunner runner, IOptions<GitOptions> options)
{
    /// <exception cref="ArgumentException">The owner or slug is not a valid name.</exception>
    public string GetDirectory(string owner, string slug)
    {
        if (!RepositoryName.IsValidUsername(owner) || !RepositoryName.IsValidSlug(slug))
        {
            throw new ArgumentException($"'{owner}/{slug}' is not a valid repository name.");
        }

        return Path.Combine(Path.GetFullPath(options.Value.RepositoriesRoot), owner, slug + ".git");
    }

    public bool Exists(string owner, string slug) => File.Exists(Path.Combine(GetDirectory(owner, slug), "HEAD"));

    /// <summary>Creates an empty bare repository and returns its directory.</summary>
    /// <exception cref="IOException">The directory already exists.</exception>
    public async Task<string> CreateAsync(string owner, string slug, CancellationToken ct)
    {
        var directory = GetDirectory(owner, slug);
        if (Directory.Exists(directory))
        {
            throw new IOException($"Repository directory for {owner}/{slug} already exists.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(directory)!);
        await runner.RunCheckedAsync(new GitInvocation(["init", "--bare", "--quiet", "--initial-branch=main", directory]), ct).ConfigureAwait(false);

        // Force pushes are allowed (the payload reports them as "forced"); the reflog keeps what
        // they replaced recoverable, since bare repositories keep none by default.
        foreach (var (key, value) in new[] { ("receive.denyNonFastForwards", "false"), ("core.logAllRefUpdates", "always"), ("receive.denyDeleteCurrent", "warn") })
        {
            await runner.RunCheckedAsync(
                new GitInvocation(["config", key, value]) { WorkingDirectory = directory, Environment = GitEnvironment.ForRepository(directory) },
                ct).ConfigureAwait(false);
        }

        return directory;
    }

    /// <returns>false when there was nothing to delete.</returns>
    public bool Delete(string owner, string slug) => DeleteDirectory(GetDirectory(owner, slug));

    /// <returns>false when there was nothing to delete.</returns>
    internal static bool DeleteDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return false;
        }

        // Rename first so a half-finished delete never leaves something that looks like a repository.
        var doomed = directory + ".deleting-" + Guid.NewGuid().ToString("N");
        Directory.Move(directory, doomed);
        Directory.Delete(doomed, recursive: true);
        return true;
    }
}
