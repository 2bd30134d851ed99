using Microsoft.AspNetCore.Mvc;
using Posthorn.Core.Repositories;
using Posthorn.Git.Processes;
using Posthorn.Git.PullRequests;
using Posthorn.Web.Pages.Shared;

namespace Posthorn.Web.Pages.Repositories;

/// <summary>
/// What one revision has that another lacks: "A...B" or "A..B" (commits, branches or tags), or a
/// lone name compared with the default branch, as GitHub's compare links are written. A push's
/// github document links here for each branch it changed.
/// </summary>
public sealed class CompareModel(PullRequestChanges changes, BranchTips refs, IRepositoryFolders folders) : RepositoryPageModel
{
    public string From { get; private set; } = "";

    public string To { get; private set; } = "";

    public PullRequestChangeSet Changes { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string owner, string slug, string range)
    {
        if (await AdmitAsync(owner, slug, Permission.Read) is { } denied)
        {
            return denied;
        }

        if (Repository.Scm == Scms.Mercurial)
        {
            return Redirect(RepositoryPath);
        }

        var directory = folders.PathOf(Repository.Owner, Repository.Slug);
        var (from, to) = Revisions.SplitRange(range) ?? ("HEAD", range);
        var ct = HttpContext.RequestAborted;
        if (!Revisions.IsName(from) || !Revisions.IsName(to)
            || await refs.TipAsync(directory, from, ct) is not { } fromCommit || await refs.TipAsync(directory, to, ct) is not { } toCommit)
        {
            return PageDenied.Result(StatusCodes.Status404NotFound, "Not found", $"{Repository.FullName} cannot compare {range}: each side must be a commit, branch or tag it has.");
        }

        (From, To) = (from, to);
        try
        {
            Changes = await changes.BetweenAsync(directory, fromCommit, toCommit, ct);
        }
        catch (GitCommandException)
        {
            return Unreadable(range);
        }

        return Page();
    }
}
