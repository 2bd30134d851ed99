using Microsoft.Extensions.Options;
using Posthorn.Core.PostServices;
using Posthorn.Core.Repositories;
using Posthorn.Web.PostServices;

namespace Posthorn.Web.Api;

/// <summary>
/// A service as the API accepts it. <see cref="Events"/>: "push" (the default), "pullrequest:created",
/// "pullrequest:updated", "pullrequest:fulfilled", "pullrequest:rejected"; <see cref="Branches"/>: globs,
/// empty for every branch; <see cref="StandardWebhooks"/>: Standard Webhooks headers also with github or
/// bitbucket-cloud; <see cref="FormEncoded"/>: github only, GitHub's form variant. On update, what is left out is kept.
/// </summary>
public sealed record ServiceRequest(
    string? Url, string? Format, bool? Active, string? Secret, IReadOnlyList<string>? Secrets,
    IReadOnlyList<string>? Events = null, IReadOnlyList<string>? Branches = null, bool? StandardWebhooks = null, bool? FormEncoded = null)
{
    public IReadOnlyList<string>? AllSecrets => Secret is null ? Secrets : [Secret, .. Secrets ?? []];
}

public sealed record RedeliverSinceRequest(DateTimeOffset? Since);

/// <summary>/api/repos/{owner}/{slug}/services: POST services of a repository; every operation needs admin.</summary>
public static class ServicesApi
{
    public static void MapServicesApi(this IEndpointRouteBuilder api)
    {
        var services = api.MapGroup("/repos/{owner}/{slug}/services").WithTags("POST services");
        services.MapGet("/", ListAsync);
        services.MapPost("/", CreateAsync);
        services.MapGet("/{id:long}", GetAsync);
        services.MapPut("/{id:long}", UpdateAsync);
        services.MapDelete("/{id:long}", DeleteAsync);
        services.MapPost("/{id:long}/enable", EnableAsync);
        services.MapPost("/{id:long}/test", TestAsync);
        services.MapPost("/{id:long}/redeliver", RedeliverSinceAsync);
    }

    private static async Task<IResult> ListAsync(HttpContext context, string owner, string slug, IPostServiceStore store, TimeProvider time)
    {
        var (admitted, denied) = await RepositoryGate.AdmitAsync(context, owner, slug, Permission.Admin);
        if (denied is not null)
        {
            return denied;
        }

        var now = time.GetUtcNow();
        return TypedResults.Ok((await store.ListServicesAsync(admitted!.Repository.Id, context.RequestAborted)).Select(s => ServiceView.Of(s, now)).ToList());
    }

    private static async Task<IResult> CreateAsync(
        HttpContext context, string owner, string slug, ServiceRequest request, IPostServiceStore store, IOptions<PostServiceOptions> limits, TimeProvider time)
    {
        var (admitted, denied) = await RepositoryGate.AdmitAsync(context, owner, slug, Permission.Admin);
        if (denied is not null)
        {
            return denied;
        }

        var settings = PostServiceSettingsRules.Validate(
            request.Url, request.Format, request.Active, request.AllSecrets, request.Events, request.Branches, request.StandardWebhooks ?? false, request.FormEncoded ?? false);
        var service = await store.CreateServiceAsync(admitted!.Repository.Id, settings, limits.Value.MaxPerRepository, time.GetUtcNow(), context.RequestAborted);
        return TypedResults.Created($"/api/repos/{owner}/{slug}/services/{service.Id}", ServiceView.Of(service, time.GetUtcNow()));
    }

    private static async Task<IResult> GetAsync(HttpContext context, string owner, string slug, long id, IPostServiceStore store, TimeProvider time)
    {
        var (service, denied) = await FindAsync(context, owner, slug, id, store);
        return denied ?? TypedResults.Ok(ServiceView.Of(service!, time.GetUtcNow()));
    }

    private static async Task<IResult> UpdateAsync(HttpContext context, string owner, string slug, long id, ServiceRequest request, IPostServiceStore store, TimeProvider time)
    {
        var (service, denied) = await FindAsync(context, owner, slug, id, store);
        if (denied is not null)
        {
            return denied;
        }

        // A PUT that leaves secrets out keeps them: clients never see secrets, so they cannot send them back.
        var url = request.Url ?? service!.Url;
        var settings = PostServiceSettingsRules.Validate(
            url, request.Format ?? service!.Format.ToName(), request.Active ?? service!.IsActive, request.AllSecrets ?? service!.Secrets,
            request.Events ?? service!.Events, request.Branches ?? service!.Branches,
            request.StandardWebhooks ?? service!.StandardWebhooks, request.FormEncoded ?? service!.FormEncoded);
        await store.UpdateServiceAsync(service!.RepositoryId, id, settings, context.RequestAborted);
        return TypedResults.Ok(ServiceView.Of((await store.FindServiceAsync(service.RepositoryId, id, context.RequestAborted))!, time.GetUtcNow()));
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, string owner, string slug, long id, IPostServiceStore store)
    {
        var (service, denied) = await FindAsync(context, owner, slug, id, store);
        if (denied is not null)
        {
            return denied;
        }

        await store.DeleteServiceAsync(service!.RepositoryId, id, context.RequestAborted);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> EnableAsync(HttpContext context, string owner, string slug, long id, IPostServiceStore store, TimeProvider time, PostServiceOperations operations)
    {
        var (service, denied) = await FindAsync(context, owner, slug, id, store);
        if (denied is not null)
        {
            return denied;
        }

        await operations.ReEnableAsync(service!, context.RequestAborted);
        return TypedResults.Ok(ServiceView.Of((await store.FindServiceAsync(service!.RepositoryId, id, context.RequestAborted))!, time.GetUtcNow()));
    }

    private static async Task<IResult> TestAsync(HttpContext context, string owner, string slug, long id, IPostServiceStore store, PostServiceOperations operations)
    {
        var (service, denied) = await FindAsync(context, owner, slug, id, store);
        if (denied is not null)
        {
            return denied;
        }

        var account = await Auth.CurrentAccount.GetAccountAsync(context);
        var detail = await operations.TestAsync(service!, account!.Username, context.RequestAborted);
        return TypedResults.Ok(new DeliveryDetailView(DeliveryView.Of(detail.Delivery), [.. detail.Attempts.Select(AttemptView.Of)]));
    }

    private static async Task<IResult> RedeliverSinceAsync(HttpContext context, string owner, string slug, long id, RedeliverSinceRequest request, IPostServiceStore store, PostServiceOperations operations)
    {
        var (service, denied) = await FindAsync(context, owner, slug, id, store);
        if (denied is not null)
        {
            return denied;
        }

        if (request.Since is null)
        {
            return ApiResults.BadRequest("since (an ISO 8601 time) is required: every failed delivery created at or after it is queued again.", "since");
        }

        var count = await operations.RedeliverFailedSinceAsync(service!, request.Since.Value, context.RequestAborted);
        return TypedResults.Ok(new { queued = count });
    }

    internal static async Task<(PostService? Service, IResult? Denied)> FindAsync(HttpContext context, string owner, string slug, long id, IPostServiceStore store)
    {
        var (admitted, denied) = await RepositoryGate.AdmitAsync(context, owner, slug, Permission.Admin);
        if (denied is not null)
        {
            return (null, denied);
        }

        var service = await store.FindServiceAsync(admitted!.Repository.Id, id, context.RequestAborted);
        return service is null ? (null, ApiResults.NotFound($"Service {id} not found.")) : (service, null);
    }
}
