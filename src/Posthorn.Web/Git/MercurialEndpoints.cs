using Microsoft.Extensions.DependencyInjection;
using Posthorn.Core.Repositories;
using Posthorn.Git.Mercurial;
using Posthorn.Git.SmartHttp;

namespace Posthorn.Web.Git;

/// <summary>
/// Authorizes Mercurial's HTTP requests with the same rules as git's (<see cref="GitEndpoints"/>:
/// anonymous callers are challenged, strangers to a private repository get 404, a push needs write
/// permission) and hands them to hgweb; pushes go through <see cref="HgPushHandler"/>. A git
/// repository answers hg like one that does not exist, and a Mercurial one answers git the same way.
/// </summary>
public static class MercurialEndpoints
{
    /// <summary>Serves /{owner}/{slug}?cmd=... ahead of the pages (which share the path); after authentication.</summary>
    public static IApplicationBuilder UseMercurialHttp(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (!MercurialRoutes.TryMatch(context.Request, out var owner, out var slug))
            {
                await next(context);
                return;
            }

            var writes = HgWireCommand.Writes(context.Request);
            if (await GitEndpoints.AdmitAsync(context, owner, slug, writes ? Permission.Write : Permission.Read, Scms.Mercurial) is not { } admitted)
            {
                return;
            }

            var services = context.RequestServices;
            var smartHttp = services.GetRequiredService<GitSmartHttp>();
            using var slot = await smartHttp.AdmitAsync(context);
            if (slot is null)
            {
                return;
            }

            if (writes)
            {
                await using var overtime = smartHttp.CutAtMaxReceiveDuration(context, admitted.GitDirectory);
                await services.GetRequiredService<HgPushHandler>().HandleAsync(context, new ReceiveTarget(admitted.Repository, admitted.GitDirectory, admitted.Pusher));
            }
            else
            {
                await services.GetRequiredService<HgWebGateway>().ServeAsync(context, admitted.GitDirectory, admitted.Username);
            }
        });
}
