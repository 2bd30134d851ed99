using Microsoft.AspNetCore.Mvc;
using Posthorn.Core.Repositories;
using Posthorn.Git.Processes;
using Posthorn.Git.PullRequests;
using Posthorn.Web.Pages.Shared;

namespace Posthorn.Web.Pages.Repositories;

/// <summary>
/// One commit of a git repository (by id, or a branch or tag for its tip): author, date, its changed
/// files and diff against its first parent. The links that the github and bitbucket-cloud documents
/// carry for each commit lead here.
/// </summary>
public sealed class CommitModel(PullRequestChanges changes, BranchTips refs, IRepositoryFolders folders) : RepositoryPageModel
{
    public string Commit { get; private set; } = "";

    public PullRequestChangeSet Changes { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string owner, string slug, string rev)
    {
        if (await AdmitAsync(owner, slug, Permission.Read) is { } denied)
        {
            return denied;
        }

        if (Repository.Scm == Scms.Mercurial)
        {
            return Redirect(RepositoryPath); // no commit page for hg yet: the repository's latest pushes are the nearest
        }

        var directory = folders.PathOf(Repository.Owner, Repository.Slug);
        if (!Revisions.IsName(rev) || await refs.TipAsync(directory, rev, HttpContext.RequestAborted) is not { } commit)
        {
            return PageDenied.Result(StatusCodes.Status404NotFound, "Not found", $"{Repository.FullName} has no commit, branch or tag {rev}.");
        }

        Commit = commit;
        try
        {
            Changes = await changes.CommitAsync(directory, commit, HttpContext.RequestAborted);
        }
        catch (GitCommandException)
        {
            return Unreadable(rev);
        }

        return Page();
    }
}
