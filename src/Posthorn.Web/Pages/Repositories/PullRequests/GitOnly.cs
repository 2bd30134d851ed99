using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Posthorn.Core.Repositories;
using Posthorn.Web.Pages.Shared;

namespace Posthorn.Web.Pages.Repositories.PullRequests;

/// <summary>
/// Pull requests are git-only (merging runs git). A Mercurial repository's pull-request pages answer
/// 409 with the reason rather than a form whose submission can only fail.
/// </summary>
public static class GitOnly
{
    /// <returns>null for a git repository; otherwise the refusal to return.</returns>
    public static IActionResult? Refusal(Repository repository) => repository.Scm == Scms.Git
        ? null
        : PageDenied.Result(StatusCodes.Status409Conflict, "Git only", $"Pull requests need a git repository; {repository.FullName} is a Mercurial repository.");
}
