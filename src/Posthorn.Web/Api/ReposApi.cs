using Microsoft.Extensions.Options;
using Posthorn.Core.Repositories;
using Posthorn.Web.Auth;
using Posthorn.Web.Hosting;
using Posthorn.Web.Repositories;

namespace Posthorn.Web.Api;

/// <summary><see cref="Scm"/>: "git" (the default) or "hg".</summary>
public sealed record CreateRepositoryRequest(string? Owner, string? Slug, string? Name, bool? IsPrivate, string? Website, string? Scm = null);

/// <summary>/api/repos: list what the caller can read, create, show, delete.</summary>
public static class ReposApi
{
    public static void MapReposApi(this IEndpointRouteBuilder api)
    {
        var repos = api.MapGroup("/repos").WithTags("Repositories");
        repos.MapGet("/", ListAsync);
        repos.MapPost("/", CreateAsync);
        repos.MapGet("/{owner}/{slug}", GetAsync);
        repos.MapDelete("/{owner}/{slug}", DeleteAsync);
    }

    private static async Task<IResult> ListAsync(HttpContext context, RepositoryCatalog catalog, IOptions<ServerOptions> server)
    {
        var visible = await catalog.ListVisibleAsync(await context.GetAccountAsync(), context.RequestAborted);
        return TypedResults.Ok(visible.Select(v => RepositoryView.Of(v.Repository, v.Permission, server.Value.CloneUrl(v.Repository))).ToList());
    }

    private static async Task<IResult> CreateAsync(HttpContext context, CreateRepositoryRequest request, RepositoryCatalog catalog, IOptions<ServerOptions> server)
    {
        var account = await context.GetAccountAsync();
        if (account is null)
        {
            return ApiResults.Unauthorized();
        }

        var owner = string.IsNullOrEmpty(request.Owner) ? account.Username : request.Owner;
        if (!string.Equals(owner, account.Username, StringComparison.OrdinalIgnoreCase) && !account.IsSiteAdmin)
        {
            return ApiResults.Forbidden("Only site administrators create repositories for other accounts.");
        }

        var repository = await catalog.CreateAsync(owner, request.Slug ?? "", request.Name, request.IsPrivate ?? false, request.Website, context.RequestAborted, request.Scm ?? Scms.Git);
        return TypedResults.Created($"/api/repos/{repository.FullName}", RepositoryView.Of(repository, Permission.Admin, server.Value.CloneUrl(repository)));
    }

    private static async Task<IResult> GetAsync(HttpContext context, string owner, string slug, IOptions<ServerOptions> server)
    {
        var (admitted, denied) = await RepositoryGate.AdmitAsync(context, owner, slug, Permission.Read);
        return denied ?? TypedResults.Ok(RepositoryView.Of(admitted!.Repository, admitted.Permission, server.Value.CloneUrl(admitted!.Repository)));
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, string owner, string slug, RepositoryCatalog catalog)
    {
        var (admitted, denied) = await RepositoryGate.AdmitAsync(context, owner, slug, Permission.Admin);
        if (denied is not null)
        {
            return denied;
        }

        await catalog.DeleteAsync(admitted!.Repository, context.RequestAborted);
        return TypedResults.NoContent();
    }
}
