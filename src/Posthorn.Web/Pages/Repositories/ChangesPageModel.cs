using Microsoft.AspNetCore.Mvc;
using Posthorn.Core.Repositories;
using Posthorn.Git.Processes;
using Posthorn.Git.PullRequests;
using Posthorn.Web.Pages.Shared;

namespace Posthorn.Web.Pages.Repositories;

/// <summary>
/// The commit and compare pages: a git repository's revisions named in the URL, resolved to commits,
/// and the changes between them. A Mercurial repository has neither page yet and is sent to its own
/// (its latest pushes are the nearest thing).
/// </summary>
public abstract class ChangesPageModel(BranchTips refs, IRepositoryFolders folders) : RepositoryPageModel
{
    public PullRequestChangeSet Changes { get; private set; } = null!;

    protected string GitDirectory { get; private set; } = "";

    /// <returns>null when the reader may see the repository's changes; otherwise the result to return.</returns>
    protected async Task<IActionResult?> AdmitGitAsync(string owner, string slug)
    {
        if (await AdmitAsync(owner, slug, Permission.Read) is { } denied)
        {
            return denied;
        }

        if (Repository.Scm == Scms.Mercurial)
        {
            return Redirect(RepositoryPath);
        }

        GitDirectory = folders.PathOf(Repository.Owner, Repository.Slug);
        return null;
    }

    /// <summary>The commit a revision from the URL names, or null: never an option or an expression git would evaluate (<see cref="Revisions.IsName"/>).</summary>
    protected async Task<string?> ResolveAsync(string revision) =>
        Revisions.IsName(revision) ? await refs.TipAsync(GitDirectory, revision, HttpContext.RequestAborted) : null;

    protected IActionResult Missing(string message) => PageDenied.Result(StatusCodes.Status404NotFound, "Not found", $"{Repository.FullName} {message}");

    /// <summary>The page with the changes <paramref name="read"/> gives; a commit git itself will not print (a header it cannot read) is said, not a 500.</summary>
    protected async Task<IActionResult> ShowAsync(Func<string, CancellationToken, Task<PullRequestChangeSet>> read, string what)
    {
        var (slot, busy) = await PageGitSlot.EnterAsync(HttpContext);
        if (busy is not null)
        {
            return busy;
        }

        try
        {
            using (slot)
            {
                Changes = await read(GitDirectory, HttpContext.RequestAborted);
            }
        }
        catch (GitCommandException)
        {
            return PageDenied.Result(StatusCodes.Status422UnprocessableEntity, "Cannot be shown", $"git cannot print {what} of {Repository.FullName}: one of its commits has a header it refuses to read.");
        }

        return Page();
    }
}
