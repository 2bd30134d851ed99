using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Posthorn.Core;
using Posthorn.Core.Deliveries;
using Posthorn.Core.PostServices;
using Posthorn.Core.Repositories;
using Posthorn.Web.Auth;
using Posthorn.Web.Pages.Shared;
using Posthorn.Web.PostServices;

namespace Posthorn.Web.Pages.Admin;

/// <summary>One POST service: health, edit, test ping (result inline), re-enable, delete, its recent deliveries (filtered by status) and a bulk redeliver of failed ones.</summary>
public sealed class ServiceModel(IPostServiceStore store, IDeliveryStore deliveries, PostServiceOperations operations) : RepositoryPageModel
{
    public const int DeliveryCount = 50;

    [BindProperty]
    public ServiceForm Form { get; set; } = new();

    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public PostService Service { get; private set; } = null!;

    public string State { get; private set; } = "";

    public IReadOnlyList<Posthorn.Core.Deliveries.Delivery> Deliveries { get; private set; } = [];

    /// <summary>The ping just sent by the Test button, shown inline after the redirect.</summary>
    public DeliveryDetail? TestResult { get; private set; }

    public string? Message { get; private set; }

    /// <summary>What the last POST did, carried over its redirect (Post/Redirect/Get: a reload sends nothing again).</summary>
    [TempData]
    public string? Flash { get; set; }

    /// <summary>The ping delivery the Test button made, carried over its redirect.</summary>
    [TempData]
    public Guid? TestDelivery { get; set; }

    /// <summary>Deliveries waiting to be sent, up to <see cref="QueuedCountLimit"/>.</summary>
    public int Queued { get; private set; }

    public const int QueuedCountLimit = 1000;

    /// <summary>Why the last attempt failed (from the newest delivery), while the service is failing.</summary>
    public string? LastFailure { get; private set; }

    /// <summary>The status filter of the deliveries list (?status=pending|succeeded|failed); null lists all.</summary>
    [BindProperty(SupportsGet = true, Name = "status")]
    public string? StatusFilter { get; set; }

    /// <summary>Paging: show deliveries older than this delivery id (?before=ID; ids are time-ordered UUIDv7).</summary>
    [BindProperty(SupportsGet = true, Name = "before")]
    public Guid? Before { get; set; }

    /// <summary>Bulk redeliver: failed deliveries created at or after this time (UTC) are queued again.</summary>
    [BindProperty]
    public DateTime? RedeliverSince { get; set; }

    public async Task<IActionResult> OnGetAsync(string owner, string slug, long id, bool created = false)
    {
        if (await FindAsync(owner, slug, id) is { } denied)
        {
            return denied;
        }

        Form = ServiceForm.For(Service);
        Message = Flash ?? (created ? "POST service saved. Every push to this repository will now be sent to it." : null);
        if (TestDelivery is { } ping)
        {
            TestResult = await deliveries.FindDeliveryAsync(Service.Id, ping, HttpContext.RequestAborted);
        }

        return await LoadPageAsync();
    }

    public async Task<IActionResult> OnPostSaveAsync(string owner, string slug, long id)
    {
        if (await FindAsync(owner, slug, id) is { } denied)
        {
            return denied;
        }

        try
        {
            // Blank fields keep what is stored: the page never sends the real URL or secrets to the browser.
            var url = string.IsNullOrWhiteSpace(Form.Url) ? Service.Url : Form.Url;
            IReadOnlyList<string> secrets = Form.RemoveSecrets ? [] : string.IsNullOrWhiteSpace(Form.Secret) ? Service.Secrets : [Form.Secret];
            var settings = PostServiceSettingsRules.Validate(url, Form.Format, Form.Active, secrets, Form.Events, Form.BranchList, Form.StandardWebhooks, Form.FormEncoded);
            if (settings.Url != Service.Url)
            {
                PrivateTargetRule.Enforce(settings.Url, HttpContext.RequestServices);
            }

            await store.UpdateServiceAsync(Repository.Id, Service.Id, settings, HttpContext.RequestAborted);
            return Redirect($"{ServicesPath}/{Service.Id}");
        }
        catch (ValidationException e)
        {
            Errors[e.Field] = e.Message;
        }

        return await LoadPageAsync();
    }

    public async Task<IActionResult> OnPostTestAsync(string owner, string slug, long id)
    {
        if (await FindAsync(owner, slug, id) is { } denied)
        {
            return denied;
        }

        var account = await HttpContext.GetAccountAsync();
        var result = await operations.TestAsync(Service, account!.Username, HttpContext.RequestAborted);
        TestDelivery = result.Delivery.Id;
        return Redirect(ListPath());
    }

    public async Task<IActionResult> OnPostEnableAsync(string owner, string slug, long id)
    {
        if (await FindAsync(owner, slug, id) is { } denied)
        {
            return denied;
        }

        await operations.ReEnableAsync(Service, HttpContext.RequestAborted);
        Flash = "Service re-enabled: one queued delivery is sent first, the rest once it succeeds.";
        return Redirect(ListPath());
    }

    public async Task<IActionResult> OnPostRedeliverFailedAsync(string owner, string slug, long id)
    {
        if (await FindAsync(owner, slug, id) is { } denied)
        {
            return denied;
        }

        if (RedeliverSince is not { } since)
        {
            Errors["RedeliverSince"] = "Enter the time (UTC) from which failed deliveries should be sent again.";
            return await ReloadAsync();
        }

        // The field is labelled UTC; the browser sends it without a zone.
        var sinceUtc = new DateTimeOffset(DateTime.SpecifyKind(since, DateTimeKind.Utc));
        var count = await operations.RedeliverFailedSinceAsync(Service, sinceUtc, HttpContext.RequestAborted);
        Flash = count == 0
            ? $"No failed deliveries since {Display.Time(sinceUtc)}."
            : $"{count} failed {(count == 1 ? "delivery" : "deliveries")} queued again, with their original delivery ids.";
        return Redirect(ListPath());
    }

    public async Task<IActionResult> OnPostDeleteAsync(string owner, string slug, long id)
    {
        if (await FindAsync(owner, slug, id) is { } denied)
        {
            return denied;
        }

        await store.DeleteServiceAsync(Repository.Id, Service.Id, HttpContext.RequestAborted);
        return Redirect(ServicesPath);
    }

    private async Task<IActionResult?> FindAsync(string owner, string slug, long id)
    {
        if (await AdmitAsync(owner, slug, Permission.Admin) is { } denied)
        {
            return denied;
        }

        var service = await store.FindServiceAsync(Repository.Id, id, HttpContext.RequestAborted);
        if (service is null)
        {
            return PageDenied.Result(StatusCodes.Status404NotFound, "Not found", $"{Repository.FullName} has no POST service {id}.");
        }

        Service = service;
        return null;
    }

    /// <summary>After an action that changed health (test, re-enable), re-read the service and the warning.</summary>
    private async Task<IActionResult> ReloadAsync()
    {
        await AdmitAsync(Repository.Owner, Repository.Slug, Permission.Admin);
        Service = await store.FindServiceAsync(Repository.Id, Service.Id, HttpContext.RequestAborted) ?? Service;
        Form = ServiceForm.For(Service);
        return await LoadPageAsync();
    }

    private async Task<IActionResult> LoadPageAsync()
    {
        State = Api.ServiceView.StateOf(Service, Now);
        Deliveries = await deliveries.ListDeliveriesAsync(Service.Id, Filter, DeliveryCount, Before, HttpContext.RequestAborted);
        Queued = (await deliveries.ListDeliveriesAsync(Service.Id, DeliveryStatus.Pending, QueuedCountLimit, null, HttpContext.RequestAborted)).Count;
        if (Service.Health.ConsecutiveFailures > 0)
        {
            var newest = await deliveries.ListDeliveriesAsync(Service.Id, null, 1, null, HttpContext.RequestAborted);
            LastFailure = newest.Count == 0 ? null : newest[0].LastError ?? (newest[0].LastResponseStatus is { } code ? $"HTTP {code}" : null);
        }

        return Page();
    }

    /// <summary>The parsed <see cref="StatusFilter"/>; an unknown value lists all.</summary>
    public DeliveryStatus? Filter => Api.DeliveryView.TryParseStatus(StatusFilter, out var status) ? status : null;

    /// <summary>Default for the bulk redeliver field: a day ago, to the minute, as a datetime-local value.</summary>
    public string RedeliverSinceDefault => Now.UtcDateTime.AddDays(-1).ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>This page's deliveries list with the current filter, optionally from an older page.</summary>
    public string ListPath(Guid? before = null)
    {
        var query = new List<string>();
        if (Filter is { } status)
        {
            query.Add("status=" + Display.Status(status));
        }

        if (before is { } id)
        {
            query.Add("before=" + id);
        }

        return $"{ServicesPath}/{Service.Id}" + (query.Count == 0 ? "" : "?" + string.Join("&", query));
    }

    /// <summary>The link to the next, older page; null on the last page.</summary>
    public string? OlderPath => Deliveries.Count == DeliveryCount ? ListPath(Deliveries[^1].Id) : null;

    public string DeliveryPath(Guid deliveryId) => $"{ServicesPath}/{Service.Id}/deliveries/{deliveryId}";
}
