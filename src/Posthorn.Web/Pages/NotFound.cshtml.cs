using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Posthorn.Web.Git;
using Posthorn.Web.Pages.Shared;

namespace Posthorn.Web.Pages;

/// <summary>
/// Any other address: a 404 in the site's layout. The catch-all route loses to every other page and
/// endpoint; /api and git paths get their own empty 404 (the API's status-code handler gives it the API's shape).
/// </summary>
public sealed class NotFoundModel : PageModel
{
    public IActionResult OnGet() =>
        Request.Path.StartsWithSegments("/api") || GitRoutes.IsGitPath(Request.Path)
            ? NotFound()
            : PageDenied.Result(StatusCodes.Status404NotFound, "Not found", "There is no page at this address.");
}
