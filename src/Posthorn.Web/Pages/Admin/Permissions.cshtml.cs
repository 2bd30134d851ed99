using Microsoft.AspNetCore.Mvc;
using Posthorn.Core;
using Posthorn.Core.Repositories;
using Posthorn.Web.Pages.Shared;
using Posthorn.Web.Repositories;

namespace Posthorn.Web.Pages.Admin;

/// <summary>Admin → Permissions: explicit read/write/admin grants. The owner and site administrators always have admin.</summary>
public sealed class PermissionsModel(IRepositoryStore repositories, RepositoryCatalog catalog) : RepositoryPageModel
{
    [BindProperty]
    public string? Username { get; set; }

    [BindProperty]
    public string? Level { get; set; } = "read";

    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public string? Message { get; private set; }

    public IReadOnlyList<RepositoryGrant> Grants { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string owner, string slug) => await AdmitAsync(owner, slug, Permission.Admin) ?? await LoadAsync();

    public async Task<IActionResult> OnPostGrantAsync(string owner, string slug)
    {
        if (await AdmitAsync(owner, slug, Permission.Admin) is { } denied)
        {
            return denied;
        }

        if (!RepositoryCatalog.TryParsePermission(Level, out var permission) || permission == Permission.None)
        {
            Errors["level"] = "Choose read, write or admin.";
        }
        else if (string.IsNullOrWhiteSpace(Username))
        {
            Errors["username"] = "Enter a username.";
        }
        else
        {
            try
            {
                await catalog.GrantAsync(Repository, Username.Trim(), permission, HttpContext.RequestAborted);
                Message = $"{Username.Trim()} now has {permission.ToString().ToLowerInvariant()} permission.";
                Username = null;
            }
            catch (NotFoundException)
            {
                Errors["username"] = $"No account named '{Username?.Trim()}'.";
            }
        }

        return await LoadAsync();
    }

    public async Task<IActionResult> OnPostRevokeAsync(string owner, string slug, string? username)
    {
        if (await AdmitAsync(owner, slug, Permission.Admin) is { } denied)
        {
            return denied;
        }

        // A forged or empty form field is an answer on the page, not an exception (it was a 500).
        if (string.IsNullOrWhiteSpace(username))
        {
            Message = "Choose whose access to remove.";
            return await LoadAsync();
        }

        try
        {
            await catalog.GrantAsync(Repository, username, Permission.None, HttpContext.RequestAborted);
            Message = $"Removed {username}'s access.";
        }
        catch (NotFoundException)
        {
            Message = $"No account named '{username}'.";
        }

        return await LoadAsync();
    }

    private async Task<IActionResult> LoadAsync()
    {
        Grants = await repositories.ListGrantsAsync(Repository.Id, HttpContext.RequestAborted);
        return Page();
    }
}
