using Microsoft.AspNetCore.Mvc;
using Posthorn.Core;
using Posthorn.Core.Repositories;
using Posthorn.Git.PullRequests;
using Posthorn.Web.Pages.Shared;

namespace Posthorn.Web.Pages.Repositories.PullRequests;

/// <summary>Opening a pull request (write permission): title, description, source and destination branch.</summary>
public sealed class NewModel(PullRequestWorkflow workflow) : RepositoryPageModel
{
    [BindProperty]
    public string? Title { get; set; }

    [BindProperty]
    public string? Description { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Source { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Destination { get; set; } = "main";

    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public async Task<IActionResult> OnGetAsync(string owner, string slug) => await AdmitAsync(owner, slug, Permission.Write) ?? GitOnly.Refusal(Repository) ?? Page();

    public async Task<IActionResult> OnPostAsync(string owner, string slug)
    {
        if ((await AdmitAsync(owner, slug, Permission.Write) ?? GitOnly.Refusal(Repository)) is { } denied)
        {
            return denied;
        }

        try
        {
            var opened = await workflow.OpenAsync(Repository, Viewer!.Username, new PullRequestDraft(Title, Description, Source, Destination), HttpContext.RequestAborted);
            return Redirect($"{RepositoryPath}/pull-requests/{opened.Id}");
        }
        catch (ValidationException e)
        {
            Errors[e.Field] = e.Message;
            return Page();
        }
    }
}
