using Microsoft.Extensions.Options;
using Posthorn.Delivery.Sending;
using Posthorn.Web.Hosting;

namespace Posthorn.Web.Api;

public sealed record MetaView(string Version, string UserAgent, IReadOnlyList<string> OutboundAddresses, IReadOnlyList<string> UrlPlaceholders);

/// <summary>/api/meta: what receivers need to know about this server — where deliveries come from and how they identify themselves. Public.</summary>
public static class MetaApi
{
    public static void MapMetaApi(this IEndpointRouteBuilder api) =>
        api.MapGet("/meta", (IOptions<ServerOptions> server) => TypedResults.Ok(new MetaView(
            PostSender.UserAgent.Split('/')[1],
            PostSender.UserAgent,
            [.. server.Value.OutboundAddresses],
            [.. Core.PostServices.UrlTemplate.Names.Select(n => "${" + n + "}")]))).WithTags("Meta");
}
