using Posthorn.Web.Git;

namespace Posthorn.Observability;

/// <summary>Times every git smart-HTTP request into posthorn_git_request_duration_seconds{service,status}.</summary>
public static class GitRequestTiming
{
    public static IApplicationBuilder UseGitRequestTiming(this IApplicationBuilder app, PosthornMeter meter, TimeProvider time) =>
        app.Use(async (context, next) =>
        {
            if (!GitRoutes.IsGitPath(context.Request.Path))
            {
                await next(context);
                return;
            }

            var started = time.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                meter.GitRequests.Record(
                    time.GetElapsedTime(started).TotalSeconds,
                    new KeyValuePair<string, object?>("service", ServiceOf(context.Request)),
                    new KeyValuePair<string, object?>("status", context.Response.StatusCode));
            }
        });

    private static string ServiceOf(HttpRequest request)
    {
        var path = request.Path.Value ?? "";
        return path.EndsWith("/git-receive-pack", StringComparison.Ordinal) ? "receive-pack"
            : path.EndsWith("/git-upload-pack", StringComparison.Ordinal) ? "upload-pack"
            : request.Query["service"] == "git-receive-pack" ? "info-refs-receive-pack"
            : "info-refs-upload-pack";
    }
}
