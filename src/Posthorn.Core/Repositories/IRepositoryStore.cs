namespace Posthorn.Core.Repositories;

public interface IRepositoryStore
{
    /// <exception cref="Posthorn.Core.ConflictException">The owner already has a repository with this slug.</exception>
    Task<Repository> CreateRepositoryAsync(NewRepository repository, DateTimeOffset now, CancellationToken ct);

    Task<Repository?> FindRepositoryAsync(string owner, string slug, CancellationToken ct);

    Task<Repository?> FindRepositoryByIdAsync(long id, CancellationToken ct);

    /// <summary>All repositories, ordered by owner then slug; visibility is filtered by <see cref="AccessPolicy"/>.</summary>
    Task<IReadOnlyList<Repository>> ListRepositoriesAsync(CancellationToken ct);

    /// <summary>Deletes the repository with its grants, pushes, services, deliveries and attempts.</summary>
    Task<bool> DeleteRepositoryAsync(long repositoryId, CancellationToken ct);

    /// <summary>Sets (or, with <see cref="Permission.None"/>, removes) an explicit grant.</summary>
    Task SetGrantAsync(long repositoryId, long accountId, Permission permission, CancellationToken ct);

    Task<Permission> GetGrantAsync(long repositoryId, long accountId, CancellationToken ct);

    Task<IReadOnlyList<RepositoryGrant>> ListGrantsAsync(long repositoryId, CancellationToken ct);
}
