namespace Posthorn.Web.Hosting;

/// <summary>
/// Headers every response carries, whatever answers it (pages, API, git, errors): no framing by
/// other sites (clickjacking), no MIME sniffing, and a content policy that lets the pages load only
/// their own script and stylesheet. Styles allow 'unsafe-inline' for the pages' style attributes;
/// scripts do not, so the pages keep no inline script or event handler.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            // OnStarting, not now: error paths clear the response's headers before writing theirs.
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XFrameOptions = "DENY";
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "same-origin";
                return Task.CompletedTask;
            });
            return next(context);
        });
}
