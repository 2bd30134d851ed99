using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Mvc;
using Posthorn.Git.Processes;
using Posthorn.Git.SmartHttp;
using Posthorn.Web.Pages.Shared;

namespace Posthorn.Web.Pages.Repositories;

/// <summary>
/// The pages that read changes with git (commit, compare, pull request) take one slot of the git
/// process cap per view, as a clone does: they run their git commands one after another, and anyone
/// who may read a public repository could otherwise start git processes without bound by reloading.
/// </summary>
public static class PageGitSlot
{
    /// <returns>The slot to dispose once the page has read what it needs, or the 503 page (with Retry-After) when none came free in time.</returns>
    public static async Task<(GitProcessSlot? Slot, IActionResult? Busy)> EnterAsync(HttpContext context)
    {
        var gate = context.RequestServices.GetRequiredService<GitProcessGate>();
        var admission = await gate.EnterAsync(GitSmartHttp.ClientOf(context), context.RequestAborted);
        if (admission.Slot is { } slot)
        {
            return (slot, null);
        }

        context.Response.Headers.RetryAfter = GitHttpErrors.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return (null, PageDenied.Result(StatusCodes.Status503ServiceUnavailable, "Busy", GitHttpErrors.BusyMessage(admission.ClientAtShare)));
    }
}
