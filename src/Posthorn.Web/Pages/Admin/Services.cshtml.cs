using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Posthorn.Core;
using Posthorn.Core.PostServices;
using Posthorn.Core.Repositories;
using Posthorn.Web.Pages.Shared;
using Posthorn.Web.PostServices;

namespace Posthorn.Web.Pages.Admin;

/// <summary>Admin → Services: every POST service of the repository with its health, and the form to add one.</summary>
public sealed class ServicesModel(IPostServiceStore store, IOptions<PostServiceOptions> limits) : RepositoryPageModel
{
    [BindProperty]
    public ServiceForm Form { get; set; } = new();

    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<PostService> Services { get; private set; } = [];

    public DateTimeOffset At { get; private set; }

    public async Task<IActionResult> OnGetAsync(string owner, string slug)
    {
        if (await AdmitAsync(owner, slug, Permission.Admin) is { } denied)
        {
            return denied;
        }

        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string owner, string slug)
    {
        if (await AdmitAsync(owner, slug, Permission.Admin) is { } denied)
        {
            return denied;
        }

        try
        {
            var settings = PostServiceSettingsRules.Validate(
                Form.Url, Form.Format, Form.Active, string.IsNullOrWhiteSpace(Form.Secret) ? [] : [Form.Secret], Form.Events, Form.BranchList, Form.StandardWebhooks, Form.FormEncoded);
            var service = await store.CreateServiceAsync(Repository.Id, settings, limits.Value.MaxPerRepository, Now, HttpContext.RequestAborted);
            return Redirect($"{ServicesPath}/{service.Id}?created=true");
        }
        catch (ValidationException e)
        {
            Errors[e.Field] = e.Message;
        }
        catch (ConflictException e)
        {
            Errors["url"] = e.Message; // too many services: shown beside the form's one field that adds one
        }

        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        At = Now;
        Services = await store.ListServicesAsync(Repository.Id, HttpContext.RequestAborted);
    }
}
