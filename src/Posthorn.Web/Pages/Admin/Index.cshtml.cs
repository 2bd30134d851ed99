using Microsoft.AspNetCore.Mvc;
using Posthorn.Core.Repositories;
using Posthorn.Web.Pages.Shared;

namespace Posthorn.Web.Pages.Admin;

/// <summary>/{owner}/{slug}/admin: the Admin tab opens on Services (the seed's "Admin → Services"), after the same access check.</summary>
public sealed class IndexModel : RepositoryPageModel
{
    public async Task<IActionResult> OnGetAsync(string owner, string slug) =>
        await AdmitAsync(owner, slug, Permission.Admin) ?? Redirect(ServicesPath);
}
