using Posthorn.Core.Pushes;
using Posthorn.Core.Repositories;

namespace Posthorn.Web.Api;

public sealed record PushPage(IReadOnlyList<PushView> Pushes, long? NextBefore);

/// <summary>/api/repos/{owner}/{slug}/pushes: recorded pushes, newest first, paged with ?before=ID&amp;limit=N.</summary>
public static class PushesApi
{
    public const int MaxPageSize = 100;

    public static void MapPushesApi(this IEndpointRouteBuilder api)
    {
        var pushes = api.MapGroup("/repos/{owner}/{slug}/pushes").WithTags("Pushes");
        pushes.MapGet("/", ListAsync);
        pushes.MapGet("/{id:long}", GetAsync);
    }

    private static async Task<IResult> ListAsync(HttpContext context, string owner, string slug, IPushStore store, int? limit, long? before)
    {
        if (limit is < 1 or > MaxPageSize)
        {
            return ApiResults.BadRequest($"limit must be between 1 and {MaxPageSize}.", "limit");
        }

        var (admitted, denied) = await RepositoryGate.AdmitAsync(context, owner, slug, Permission.Read);
        if (denied is not null)
        {
            return denied;
        }

        var size = limit ?? 30;
        var page = await store.ListPushesAsync(admitted!.Repository.Id, size, before, context.RequestAborted);
        return TypedResults.Ok(new PushPage([.. page.Select(PushView.Of)], page.Count == size ? page[^1].Id : null));
    }

    private static async Task<IResult> GetAsync(HttpContext context, string owner, string slug, long id, IPushStore store)
    {
        var (admitted, denied) = await RepositoryGate.AdmitAsync(context, owner, slug, Permission.Read);
        if (denied is not null)
        {
            return denied;
        }

        var push = await store.FindPushAsync(admitted!.Repository.Id, id, context.RequestAborted);
        return push is null ? ApiResults.NotFound($"Push {id} not found.") : TypedResults.Ok(PushView.Of(push));
    }
}
