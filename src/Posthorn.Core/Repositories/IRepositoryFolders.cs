namespace Posthorn.Core.Repositories;

/// <summary>Where repositories live on disk. Implemented by the git layer; the domain only asks for a path.</summary>
public interface IRepositoryFolders
{
    /// <summary>The repository's directory for owner/slug (a git one unless a Mercurial one exists; it may not exist yet).</summary>
    string PathOf(string owner, string slug);

    Task CreateAsync(string owner, string slug, CancellationToken ct);

    /// <summary>Creates the empty repository of the given version control system (<see cref="Scms"/>).</summary>
    Task CreateAsync(string owner, string slug, string scm, CancellationToken ct);

    Task DeleteAsync(string owner, string slug, CancellationToken ct);
}
