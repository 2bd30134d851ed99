using Microsoft.AspNetCore.Mvc;
using Posthorn.Core.Repositories;
using Posthorn.Git.PullRequests;

namespace Posthorn.Web.Pages.Repositories;

/// <summary>
/// One commit of a git repository (by id, or a branch or tag for its tip): author, date, its changed
/// files and diff against its first parent. The links that the github and bitbucket-cloud documents
/// carry for each commit lead here.
/// </summary>
public sealed class CommitModel(PullRequestChanges changes, BranchTips refs, IRepositoryFolders folders) : ChangesPageModel(refs, folders)
{
    public string Commit { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string owner, string slug, string rev)
    {
        if (await AdmitGitAsync(owner, slug) is { } denied)
        {
            return denied;
        }

        if (await ResolveAsync(rev) is not { } commit)
        {
            return Missing($"has no commit, branch or tag {rev}.");
        }

        Commit = commit;
        return await ShowAsync((directory, ct) => changes.CommitAsync(directory, commit, ct), rev);
    }
}
