namespace Posthorn.Core.Repositories;

/// <summary>Where repositories live on disk. Implemented by the git layer; the domain only asks for a path.</summary>
public interface IRepositoryFolders
{
    /// <summary>The bare repository's directory for owner/slug (it may not exist yet).</summary>
    string PathOf(string owner, string slug);

    Task CreateAsync(string owner, string slug, CancellationToken ct);

    Task DeleteAsync(string owner, string slug, CancellationToken ct);
}
