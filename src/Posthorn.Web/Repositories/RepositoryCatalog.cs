using Posthorn.Core;
using Posthorn.Core.Accounts;
using Posthorn.Core.Repositories;

namespace Posthorn.Web.Repositories;

/// <summary>Creating, listing, deleting repositories and their grants; shared by the command line, the API and the pages.</summary>
public sealed class RepositoryCatalog(IRepositoryStore repositories, IAccountStore accounts, IRepositoryFolders folders, TimeProvider time)
{
    /// <exception cref="ValidationException">Bad slug, name, website or scm ("git" or "hg").</exception>
    /// <exception cref="NotFoundException">No such owner.</exception>
    /// <exception cref="ConflictException">The owner already has that slug.</exception>
    public async Task<Repository> CreateAsync(string owner, string slug, string? name, bool isPrivate, string? website, CancellationToken ct, string scm = Scms.Git)
    {
        if (!Scms.IsKnown(scm))
        {
            throw new ValidationException("scm", "The version control system is \"git\" or \"hg\".");
        }

        if (!RepositoryName.IsValidSlug(slug))
        {
            throw new ValidationException("slug", "Slugs are 1–100 characters: lower-case letters, digits, '.', '-' and '_', starting with a letter or digit, not ending in '.git'.");
        }

        var displayName = string.IsNullOrWhiteSpace(name) ? slug : name.Trim();
        if (displayName.Length > 200)
        {
            throw new ValidationException("name", "Names are at most 200 characters.");
        }

        var site = website?.Trim() ?? "";
        if (site.Length > 0 && (!Uri.TryCreate(site, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            throw new ValidationException("website", "The website must be an absolute http(s) URL.");
        }

        var account = (RepositoryName.IsValidUsername(owner.ToLowerInvariant()) ? await accounts.FindAccountAsync(owner, ct) : null)
            ?? throw new NotFoundException($"No account named '{owner}'.");
        var repository = await repositories.CreateRepositoryAsync(new NewRepository(account.Id, slug, displayName, isPrivate, site, scm), time.GetUtcNow(), ct);
        try
        {
            await folders.CreateAsync(repository.Owner, repository.Slug, scm, ct);
        }
        catch
        {
            // No row without its directory: undo, so the name can be tried again.
            await repositories.DeleteRepositoryAsync(repository.Id, CancellationToken.None);
            throw;
        }

        return repository;
    }

    public async Task<IReadOnlyList<(Repository Repository, Permission Permission)>> ListVisibleAsync(Account? viewer, CancellationToken ct)
    {
        var visible = new List<(Repository, Permission)>();
        foreach (var repository in await repositories.ListRepositoriesAsync(ct))
        {
            var permission = await PermissionOfAsync(viewer, repository, ct);
            if (permission >= Permission.Read)
            {
                visible.Add((repository, permission));
            }
        }

        return visible;
    }

    /// <summary>The repository named by <paramref name="owner"/>/<paramref name="slug"/> (null when there is none, or the names are invalid) and the viewer's permission on it.</summary>
    public async Task<RepositoryAccess> AccessAsync(Account? viewer, string owner, string slug, CancellationToken ct)
    {
        var repository = RepositoryName.IsValidUsername(owner) && RepositoryName.IsValidSlug(slug)
            ? await repositories.FindRepositoryAsync(owner, slug, ct)
            : null;
        var permission = repository is null ? Permission.None : await PermissionOfAsync(viewer, repository, ct);
        return new RepositoryAccess(repository, viewer, permission);
    }

    public async Task<Permission> PermissionOfAsync(Account? viewer, Repository repository, CancellationToken ct)
    {
        var grant = viewer is null || viewer.IsSiteAdmin ? Permission.None : await repositories.GetGrantAsync(repository.Id, viewer.Id, ct);
        return AccessPolicy.Effective(viewer, repository, grant);
    }

    public async Task DeleteAsync(Repository repository, CancellationToken ct)
    {
        await repositories.DeleteRepositoryAsync(repository.Id, ct);
        await folders.DeleteAsync(repository.Owner, repository.Slug, ct);
    }

    /// <exception cref="NotFoundException">No such account.</exception>
    public async Task GrantAsync(Repository repository, string username, Permission permission, CancellationToken ct)
    {
        var account = (RepositoryName.IsValidUsername(username?.ToLowerInvariant()) ? await accounts.FindAccountAsync(username!, ct) : null)
            ?? throw new NotFoundException($"No account named '{username}'.");
        await repositories.SetGrantAsync(repository.Id, account.Id, permission, ct);
    }

    public static bool TryParsePermission(string? text, out Permission permission)
    {
        permission = text?.ToLowerInvariant() switch
        {
            "none" => Permission.None,
            "read" => Permission.Read,
            "write" => Permission.Write,
            "admin" => Permission.Admin,
            _ => (Permission)(-1),
        };
        return permission >= Permission.None;
    }
}
