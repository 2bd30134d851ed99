using Posthorn.Core.Repositories;
using Posthorn.Web.Repositories;

namespace Posthorn.Web.Api;

public sealed record GrantView(string Username, string Permission);

public sealed record SetGrantRequest(string? Permission);

/// <summary>/api/repos/{owner}/{slug}/permissions: explicit grants, admin only.</summary>
public static class PermissionsApi
{
    public static void MapPermissionsApi(this IEndpointRouteBuilder api)
    {
        var grants = api.MapGroup("/repos/{owner}/{slug}/permissions").WithTags("Permissions");
        grants.MapGet("/", ListAsync);
        grants.MapPut("/{username}", SetAsync);
        grants.MapDelete("/{username}", RevokeAsync);
    }

    private static async Task<IResult> ListAsync(HttpContext context, string owner, string slug, IRepositoryStore repositories)
    {
        var (admitted, denied) = await RepositoryGate.AdmitAsync(context, owner, slug, Permission.Admin);
        if (denied is not null)
        {
            return denied;
        }

        var grants = await repositories.ListGrantsAsync(admitted!.Repository.Id, context.RequestAborted);
        return TypedResults.Ok(grants.Select(g => new GrantView(g.Username, g.Permission.ToString().ToLowerInvariant())).ToList());
    }

    private static async Task<IResult> SetAsync(HttpContext context, string owner, string slug, string username, SetGrantRequest request, RepositoryCatalog catalog)
    {
        if (!RepositoryCatalog.TryParsePermission(request.Permission, out var permission))
        {
            return ApiResults.BadRequest("permission must be one of read, write, admin or none.", "permission");
        }

        return await ChangeAsync(context, owner, slug, username, permission, catalog);
    }

    private static Task<IResult> RevokeAsync(HttpContext context, string owner, string slug, string username, RepositoryCatalog catalog) =>
        ChangeAsync(context, owner, slug, username, Permission.None, catalog);

    private static async Task<IResult> ChangeAsync(HttpContext context, string owner, string slug, string username, Permission permission, RepositoryCatalog catalog)
    {
        var (admitted, denied) = await RepositoryGate.AdmitAsync(context, owner, slug, Permission.Admin);
        if (denied is not null)
        {
            return denied;
        }

        await catalog.GrantAsync(admitted!.Repository, username, permission, context.RequestAborted);
        return TypedResults.Ok(new GrantView(username, permission.ToString().ToLowerInvariant()));
    }
}
