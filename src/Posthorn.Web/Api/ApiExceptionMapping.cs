using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Posthorn.Core;

namespace Posthorn.Web.Api;

/// <summary>
/// Maps exceptions to the API's error shape in one place. Exception text from the domain's own
/// exceptions is written for people; anything else becomes a bare 500, never a stack trace.
/// </summary>
public static partial class ApiExceptionMapping
{
    public static IApplicationBuilder UseApiErrors(this IApplicationBuilder app) =>
        app.UseExceptionHandler(errors => errors.Run(async context =>
        {
            var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            var (status, error, detail, field) = exception switch
            {
                ValidationException v => (400, "invalid_request", v.Message, v.Field),
                NotFoundException n => (404, "not_found", n.Message, null),
                ConflictException c => (409, "conflict", c.Message, null),
                BadHttpRequestException b => (b.StatusCode, "bad_request", "The request could not be read: malformed JSON, wrong content type or a body too large.", null),
                _ => (500, "internal_error", "Something went wrong on the server; the error has been logged.", (string?)null),
            };
            if (status == 500)
            {
                LogUnhandled(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Posthorn.Api"), context.Request.Path, exception);
            }

            context.Response.StatusCode = status;
            await context.Response.WriteAsJsonAsync(new ApiError(error, detail, field));
        }));

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error serving {Path}")]
    private static partial void LogUnhandled(ILogger logger, PathString path, Exception? exception);
}
