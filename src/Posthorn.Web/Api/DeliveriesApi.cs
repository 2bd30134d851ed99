using Posthorn.Core.Deliveries;
using Posthorn.Core.PostServices;
using Posthorn.Web.PostServices;

namespace Posthorn.Web.Api;

public sealed record DeliveryPage(IReadOnlyList<DeliveryView> Deliveries, Guid? NextBefore);

/// <summary>/api/repos/{owner}/{slug}/services/{id}/deliveries: what was sent, what came back, and redelivery.</summary>
public static class DeliveriesApi
{
    public const int MaxPageSize = 100;

    public static void MapDeliveriesApi(this IEndpointRouteBuilder api)
    {
        var deliveries = api.MapGroup("/repos/{owner}/{slug}/services/{serviceId:long}/deliveries").WithTags("Deliveries");
        deliveries.MapGet("/", ListAsync);
        deliveries.MapGet("/{deliveryId:guid}", GetAsync);
        deliveries.MapPost("/{deliveryId:guid}/redeliver", RedeliverAsync);
    }

    private static async Task<IResult> ListAsync(
        HttpContext context, string owner, string slug, long serviceId, IPostServiceStore services, IDeliveryStore store, string? status, int? limit, Guid? before)
    {
        if (limit is < 1 or > MaxPageSize)
        {
            return ApiResults.BadRequest($"limit must be between 1 and {MaxPageSize}.", "limit");
        }

        DeliveryStatus? filter = null;
        if (status is not null)
        {
            if (!DeliveryView.TryParseStatus(status, out var parsed))
            {
                return ApiResults.BadRequest("status must be pending, succeeded or failed.", "status");
            }

            filter = parsed;
        }

        var (service, denied) = await ServicesApi.FindAsync(context, owner, slug, serviceId, services);
        if (denied is not null)
        {
            return denied;
        }

        var size = limit ?? 30;
        var page = await store.ListDeliveriesAsync(service!.Id, filter, size, before, context.RequestAborted);
        return TypedResults.Ok(new DeliveryPage([.. page.Select(DeliveryView.Of)], page.Count == size ? page[^1].Id : null));
    }

    private static async Task<IResult> GetAsync(HttpContext context, string owner, string slug, long serviceId, Guid deliveryId, IPostServiceStore services, IDeliveryStore store)
    {
        var (service, denied) = await ServicesApi.FindAsync(context, owner, slug, serviceId, services);
        if (denied is not null)
        {
            return denied;
        }

        var detail = await store.FindDeliveryAsync(service!.Id, deliveryId, context.RequestAborted);
        return detail is null
            ? ApiResults.NotFound($"Delivery {deliveryId} not found.")
            : TypedResults.Ok(new DeliveryDetailView(DeliveryView.Of(detail.Delivery), [.. detail.Attempts.Select(AttemptView.Of)]));
    }

    private static async Task<IResult> RedeliverAsync(
        HttpContext context, string owner, string slug, long serviceId, Guid deliveryId, IPostServiceStore services, PostServiceOperations operations)
    {
        var (service, denied) = await ServicesApi.FindAsync(context, owner, slug, serviceId, services);
        if (denied is not null)
        {
            return denied;
        }

        return await operations.RedeliverAsync(service!, deliveryId, context.RequestAborted)
            ? TypedResults.Accepted($"/api/repos/{owner}/{slug}/services/{serviceId}/deliveries/{deliveryId}", new { id = deliveryId, status = "pending" })
            : ApiResults.NotFound($"Delivery {deliveryId} not found.");
    }
}
