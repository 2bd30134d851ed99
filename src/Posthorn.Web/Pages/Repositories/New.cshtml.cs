using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Posthorn.Core;
using Posthorn.Web.Auth;
using Posthorn.Web.Repositories;

namespace Posthorn.Web.Pages.Repositories;

/// <summary>Creates a repository owned by the signed-in account; the catalog's rules decide what is valid.</summary>
[Authorize]
public sealed class NewModel(RepositoryCatalog catalog) : PageModel
{
    [BindProperty]
    public string? Slug { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public bool IsPrivate { get; set; }

    [BindProperty]
    public string? Website { get; set; }

    /// <summary>"git" or "hg" (Mercurial).</summary>
    [BindProperty]
    public string Scm { get; set; } = Core.Repositories.Scms.Git;

    /// <summary>Validation messages by field name ("slug", "name", "website", "scm").</summary>
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var account = await HttpContext.GetAccountAsync();
        if (account is null)
        {
            return Challenge();
        }

        try
        {
            var repository = await catalog.CreateAsync(account.Username, Slug?.Trim() ?? "", Name, IsPrivate, Website, HttpContext.RequestAborted, Scm);
            return Redirect($"/{repository.Owner}/{repository.Slug}");
        }
        catch (ValidationException e)
        {
            Errors[e.Field] = e.Message;
        }
        catch (ConflictException)
        {
            Errors["slug"] = $"You already have a repository named '{Slug}'.";
        }

        return Page();
    }
}
