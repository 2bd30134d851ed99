using Microsoft.AspNetCore.Mvc;
using Posthorn.Core.Deliveries;
using Posthorn.Core.PostServices;
using Posthorn.Core.Repositories;
using Posthorn.Web.Pages.Shared;
using Posthorn.Web.PostServices;

namespace Posthorn.Web.Pages.Admin;

/// <summary>One delivery with every attempt's request and response, and Redeliver (same delivery id, so receivers can de-duplicate).</summary>
public sealed class DeliveryPageModel(IPostServiceStore store, IDeliveryStore deliveries, PostServiceOperations operations) : RepositoryPageModel
{
    public PostService Service { get; private set; } = null!;

    public DeliveryDetail Detail { get; private set; } = null!;

    public string? Message { get; private set; }

    /// <summary>The service's state now: a pending delivery of a paused or disabled service is held, not "due".</summary>
    public string State => Api.ServiceView.StateOf(Service, Now);

    public DateTimeOffset At => Now;

    public async Task<IActionResult> OnGetAsync(string owner, string slug, long id, Guid delivery, bool redelivered = false)
    {
        Message = redelivered ? "Queued for redelivery with the same delivery id; this page refreshes until the new attempt is recorded." : null;
        return await FindAsync(owner, slug, id, delivery) ?? Page();
    }

    public async Task<IActionResult> OnPostRedeliverAsync(string owner, string slug, long id, Guid delivery)
    {
        if (await FindAsync(owner, slug, id, delivery) is { } denied)
        {
            return denied;
        }

        // Post/redirect/get: a browser refresh must not queue the delivery again.
        return await operations.RedeliverAsync(Service, delivery, HttpContext.RequestAborted)
            ? Redirect($"{ServicesPath}/{Service.Id}/deliveries/{delivery}?redelivered=true")
            : PageDenied.Result(StatusCodes.Status409Conflict, "Conflict", "The delivery could not be queued again; it may be in flight right now.");
    }

    private async Task<IActionResult?> FindAsync(string owner, string slug, long id, Guid delivery)
    {
        if (await AdmitAsync(owner, slug, Permission.Admin) is { } denied)
        {
            return denied;
        }

        var service = await store.FindServiceAsync(Repository.Id, id, HttpContext.RequestAborted);
        var detail = service is null ? null : await deliveries.FindDeliveryAsync(service.Id, delivery, HttpContext.RequestAborted);
        if (service is null || detail is null)
        {
            return PageDenied.Result(StatusCodes.Status404NotFound, "Not found", "No such delivery.");
        }

        Service = service;
        Detail = detail;
        return null;
    }
}
