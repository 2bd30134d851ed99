using Microsoft.AspNetCore.Mvc.RazorPages;
using Posthorn.Core.Repositories;
using Posthorn.Web.Auth;
using Posthorn.Web.Repositories;

namespace Posthorn.Web.Pages.Repositories;

/// <summary>The home page: public repositories and the ones the visitor may read.</summary>
public sealed class IndexModel(RepositoryCatalog catalog) : PageModel
{
    public IReadOnlyList<(Repository Repository, Permission Permission)> Repositories { get; private set; } = [];

    public bool SignedIn { get; private set; }

    public async Task OnGetAsync()
    {
        var viewer = await HttpContext.GetAccountAsync();
        SignedIn = viewer is not null;
        Repositories = await catalog.ListVisibleAsync(viewer, HttpContext.RequestAborted);
    }
}
