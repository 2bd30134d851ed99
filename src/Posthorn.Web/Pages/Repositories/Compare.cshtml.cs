using Microsoft.AspNetCore.Mvc;
using Posthorn.Core.Repositories;
using Posthorn.Git.PullRequests;

namespace Posthorn.Web.Pages.Repositories;

/// <summary>
/// What one revision has that another lacks: "A...B" or "A..B" (commits, branches or tags), or a
/// lone name compared with the default branch, as GitHub's compare links are written. A push's
/// github document links here for each branch it changed.
/// </summary>
public sealed class CompareModel(PullRequestChanges changes, BranchTips refs, IRepositoryFolders folders) : ChangesPageModel(refs, folders)
{
    public string From { get; private set; } = "";

    public string To { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string owner, string slug, string range)
    {
        if (await AdmitGitAsync(owner, slug) is { } denied)
        {
            return denied;
        }

        var (from, to) = Revisions.SplitRange(range) ?? ("HEAD", range);
        if (await ResolveAsync(from) is not { } fromCommit || await ResolveAsync(to) is not { } toCommit)
        {
            return Missing($"cannot compare {range}: each side must be a commit, branch or tag it has.");
        }

        (From, To) = (from, to);
        return await ShowAsync((directory, ct) => changes.BetweenAsync(directory, fromCommit, toCommit, ct), range);
    }
}
