using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;
using Posthorn.Core.PostServices;
using Posthorn.Core.Repositories;
using Posthorn.Web.Api;
using Posthorn.Web.Auth;
using Posthorn.Web.Repositories;

namespace Posthorn.Web.Pages.Shared;

/// <summary>
/// The pages under /{owner}/{slug}. Access follows the API's <see cref="RepositoryGate"/>: anonymous
/// visitors are sent to sign in when the page needs more than they have; a signed-in account that
/// cannot read the repository gets 404 exactly as if it did not exist (private names don't leak);
/// one that can read it but lacks the permission gets 403.
/// </summary>
public abstract class RepositoryPageModel : PageModel
{
    public Repository Repository { get; private set; } = null!;

    public Posthorn.Core.Accounts.Account? Viewer { get; private set; }

    public Permission Permission { get; private set; }

    public bool IsAdmin => Permission >= Permission.Admin;

    /// <summary>Active services that are failing, paused or disabled: the warning every reader sees.</summary>
    public IReadOnlyList<(PostService Service, string State)> Troubled { get; private set; } = [];

    protected DateTimeOffset Now => HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();

    /// <returns>null when admitted; otherwise the result to return.</returns>
    protected async Task<IActionResult?> AdmitAsync(string owner, string slug, Permission required)
    {
        var services = HttpContext.RequestServices;
        Viewer = await HttpContext.GetAccountAsync();
        var access = await services.GetRequiredService<RepositoryCatalog>().AccessAsync(Viewer, owner, slug, HttpContext.RequestAborted);
        Permission = access.Permission;
        switch (access.VerdictFor(required))
        {
            case AccessVerdict.SignInRequired:
                return Challenge();
            case AccessVerdict.NotFound:
                return PageDenied.Result(StatusCodes.Status404NotFound, "Not found", $"There is no repository {owner}/{slug}, or you cannot see it.");
            case AccessVerdict.Forbidden:
                return PageDenied.Result(StatusCodes.Status403Forbidden, "Forbidden", $"This page needs {required.ToString().ToLowerInvariant()} permission on {owner}/{slug}.");
        }

        var repository = access.Repository!;
        Repository = repository;
        var now = Now;
        // The trouble banner is for the people who can act on it: readers of a public repository never see it.
        Troubled = !IsAdmin ? [] : [.. (await services.GetRequiredService<IPostServiceStore>().ListServicesAsync(repository.Id, HttpContext.RequestAborted))
            .Select(s => (s, ServiceView.StateOf(s, now)))
            .Where(t => t.Item2 is "failing" or "paused" or "disabled")];
        return null;
    }

    public string RepositoryPath => $"/{Repository.Owner}/{Repository.Slug}";

    public string ServicesPath => RepositoryPath + "/admin/services";
}
