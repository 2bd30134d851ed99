using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Posthorn.Core.Pushes;
using Posthorn.Core.Repositories;
using Posthorn.Git.SmartHttp;
using Posthorn.Web.Auth;
using Posthorn.Web.Hosting;
using Posthorn.Web.Repositories;

namespace Posthorn.Web.Git;

/// <summary>
/// Authorizes smart HTTP requests, then hands them to the git layer. Anonymous callers are
/// challenged (git only sends credentials after a 401); signed-in callers who may not read get 404,
/// exactly like a repository that does not exist, so private names don't leak.
/// </summary>
public static class GitEndpoints
{
    public static void MapGitSmartHttp(this IEndpointRouteBuilder app)
    {
        app.MapGet("/{owner}/{repo}/info/refs", async (HttpContext context, string owner, string repo, GitSmartHttp git, string? service) =>
        {
            var required = service == "git-receive-pack" ? Permission.Write : Permission.Read;
            if (await AdmitAsync(context, owner, repo, required, Scms.Git) is { } admitted)
            {
                await git.InfoRefsAsync(context, admitted.GitDirectory);
            }
        }).ExcludeFromDescription();

        app.MapPost("/{owner}/{repo}/git-upload-pack", async (HttpContext context, string owner, string repo, GitSmartHttp git) =>
        {
            if (await AdmitAsync(context, owner, repo, Permission.Read, Scms.Git) is { } admitted)
            {
                await git.UploadPackAsync(context, admitted.GitDirectory);
            }
        }).ExcludeFromDescription();

        app.MapPost("/{owner}/{repo}/git-receive-pack", async (HttpContext context, string owner, string repo, GitSmartHttp git) =>
        {
            if (await AdmitAsync(context, owner, repo, Permission.Write, Scms.Git) is { } admitted)
            {
                await git.ReceivePackAsync(context, new ReceiveTarget(admitted.Repository, admitted.GitDirectory, admitted.Pusher));
            }
        }).ExcludeFromDescription();
    }

    internal sealed record Admitted(Repository Repository, string GitDirectory, string Pusher, string? Username);

    /// <summary>A repository of another version control system answers like one that does not exist.</summary>
    internal static async Task<Admitted?> AdmitAsync(HttpContext context, string owner, string repo, Permission required, string scm)
    {
        var services = context.RequestServices;
        var account = await context.GetAccountAsync();
        var access = await services.GetRequiredService<RepositoryCatalog>().AccessAsync(account, owner, GitRoutes.SlugOf(repo), context.RequestAborted);
        switch (access.VerdictFor(required))
        {
            case AccessVerdict.Admitted when access.Repository!.Scm == scm:
                var folder = services.GetRequiredService<IRepositoryFolders>().PathOf(access.Repository.Owner, access.Repository.Slug);
                return new Admitted(access.Repository, folder, account?.Username ?? "anonymous", account?.Username);
            case AccessVerdict.SignInRequired:
                await context.ChallengeAsync(BasicAuthenticationHandler.SchemeName);
                await context.Response.WriteAsync("Authentication required.\n");
                break;
            case AccessVerdict.NotFound or AccessVerdict.Admitted:
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                await context.Response.WriteAsync("Repository not found.\n");
                break;
            default:
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await context.Response.WriteAsync($"You need write permission to push to {access.Repository!.FullName}.\n");
                break;
        }

        return null;
    }
}
