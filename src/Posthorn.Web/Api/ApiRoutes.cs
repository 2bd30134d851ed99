namespace Posthorn.Web.Api;

/// <summary>The REST API's table of contents. Everything under /api answers JSON, including errors.</summary>
public static class ApiRoutes
{
    public static void MapPosthornApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");
        api.MapReposApi();
        api.MapPermissionsApi();
        api.MapPushesApi();
        api.MapPullRequestsApi();
        api.MapServicesApi();
        api.MapDeliveriesApi();
        api.MapUserApi();
        api.MapMetaApi();
        app.MapHealth();
    }
}
