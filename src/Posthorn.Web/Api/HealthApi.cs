using Posthorn.Web.Hosting;

namespace Posthorn.Web.Api;

/// <summary>/healthz: the process answers. /readyz: storage answers too (load balancers route on this one).</summary>
public static class HealthApi
{
    public static void MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new { status = "ok" })).ExcludeFromDescription();
        app.MapGet("/readyz", async (IStorageProbe probe, CancellationToken ct) =>
            await probe.IsReadyAsync(ct)
                ? TypedResults.Ok(new { status = "ready" })
                : ApiResults.Error(StatusCodes.Status503ServiceUnavailable, "not_ready", "Storage is not reachable.")).ExcludeFromDescription();
    }
}
