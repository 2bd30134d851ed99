using Microsoft.AspNetCore.Mvc;
using Posthorn.Core.PullRequests;
using Posthorn.Core.Repositories;
using Posthorn.Web.Pages.Shared;

namespace Posthorn.Web.Pages.Repositories.PullRequests;

/// <summary>The Pull requests tab: open, merged or declined pull requests (?state=), newest first.</summary>
public sealed class IndexModel(IPullRequestStore store) : RepositoryPageModel
{
    public const int PageSize = 100;

    [BindProperty(SupportsGet = true, Name = "state")]
    public string? StateName { get; set; }

    public PullRequestState State { get; private set; }

    public IReadOnlyList<PullRequest> PullRequests { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string owner, string slug)
    {
        if ((await AdmitAsync(owner, slug, Permission.Read) ?? GitOnly.Refusal(Repository)) is { } denied)
        {
            return denied;
        }

        State = PullRequestNames.TryParseState(StateName, out var state) ? state : PullRequestState.Open;
        PullRequests = await store.ListPullRequestsAsync(Repository.Id, State, PageSize, HttpContext.RequestAborted);
        return Page();
    }

    public bool CanWrite => Permission >= Permission.Write;
}
