using System.Reflection;

namespace Posthorn.Web.Pages;

/// <summary>
/// Serves the pages' stylesheet and script from resources embedded in this assembly, so they work
/// from any build output and in any environment: a Razor class library's static web assets are
/// only mapped automatically in Development or after publish, and we want neither a CDN nor a build step.
/// </summary>
public static class PageAssets
{
    private const string Prefix = "assets/";

    public static IEndpointRouteBuilder MapPageAssets(this IEndpointRouteBuilder app)
    {
        app.MapGet("/assets/{file}", (string file, HttpContext context) =>
        {
            var contentType = Path.GetExtension(file) switch
            {
                ".css" => "text/css; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".svg" => "image/svg+xml",
                _ => null,
            };
            var stream = contentType is null ? null : typeof(PageAssets).Assembly.GetManifestResourceStream(Prefix + file);
            if (stream is null)
            {
                return Results.NotFound();
            }

            // Assets change only with a new build; an hour of caching keeps pages fast without stale deploys lingering.
            context.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.Stream(stream, contentType);
        }).ExcludeFromDescription();
        return app;
    }

    /// <summary>Names of the embedded assets, for tests and diagnostics.</summary>
    public static IEnumerable<string> Names() =>
        typeof(PageAssets).Assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).Select(n => n[Prefix.Length..]);
}
