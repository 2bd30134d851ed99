using Microsoft.AspNetCore.Mvc;
using Posthorn.Core;
using Posthorn.Core.PullRequests;
using Posthorn.Core.Repositories;
using Posthorn.Git.PullRequests;
using Posthorn.Web.Pages.Shared;

namespace Posthorn.Web.Pages.Repositories.PullRequests;

/// <summary>
/// One pull request: its state, commits, changed files with line counts, the diff, whether it merges
/// cleanly, and for writers Merge (with a strategy) and Decline while it is open.
/// </summary>
public sealed class ShowModel(IPullRequestStore store, PullRequestWorkflow workflow, PullRequestChanges changes, IRepositoryFolders folders) : RepositoryPageModel
{
    public PullRequest PullRequest { get; private set; } = null!;

    public PullRequestChangeSet Changes { get; private set; } = null!;

    public string? Message { get; private set; }

    public string? Problem { get; private set; }

    public bool CanWrite => Permission >= Permission.Write;

    public async Task<IActionResult> OnGetAsync(string owner, string slug, long id) =>
        await AdmitAsync(owner, slug, Permission.Read) ?? await LoadAsync(id);

    /// <param name="sourceCommit">The source commit the page showed: a source that moved since is refused, not merged unseen.</param>
    public async Task<IActionResult> OnPostMergeAsync(string owner, string slug, long id, string? strategy, string? sourceCommit)
    {
        if (await AdmitAsync(owner, slug, Permission.Write) is { } denied)
        {
            return denied;
        }

        if (!PullRequestNames.TryParseStrategy(strategy, out var parsed))
        {
            Problem = "Choose merge_commit, squash or fast_forward.";
            return await LoadAsync(id);
        }

        return await ActAsync(id, async () =>
        {
            var expected = string.IsNullOrEmpty(sourceCommit) ? null : sourceCommit;
            var merged = await workflow.MergeAsync(Repository, id, parsed, new MergeIdentity(Viewer!.Username, Viewer.Email), expected, HttpContext.RequestAborted);
            Message = $"Merged into {merged.DestinationBranch} as {Display.ShortId(merged.MergeCommit!)}.";
        });
    }

    public async Task<IActionResult> OnPostDeclineAsync(string owner, string slug, long id)
    {
        if (await AdmitAsync(owner, slug, Permission.Write) is { } denied)
        {
            return denied;
        }

        return await ActAsync(id, async () =>
        {
            await workflow.DeclineAsync(Repository, id, Viewer!.Username, HttpContext.RequestAborted);
            Message = "Declined.";
        });
    }

    private async Task<IActionResult> ActAsync(long id, Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception e) when (e is ConflictException or MergeNotRecordedException or ValidationException)
        {
            Problem = e.Message;
        }
        catch (NotFoundException)
        {
            return NotFoundPage(id);
        }

        return await LoadAsync(id);
    }

    private async Task<IActionResult> LoadAsync(long id)
    {
        if (await store.FindPullRequestAsync(Repository.Id, id, HttpContext.RequestAborted) is not { } pullRequest)
        {
            return NotFoundPage(id);
        }

        PullRequest = pullRequest;
        var (slot, busy) = await PageGitSlot.EnterAsync(HttpContext);
        if (busy is not null)
        {
            return busy;
        }

        using (slot)
        {
            Changes = await changes.ReadAsync(folders.PathOf(Repository.Owner, Repository.Slug), pullRequest, HttpContext.RequestAborted);
        }

        return Page();
    }

    private IActionResult NotFoundPage(long id) =>
        PageDenied.Result(StatusCodes.Status404NotFound, "Not found", $"There is no pull request #{id} in {Repository.FullName}.");
}
