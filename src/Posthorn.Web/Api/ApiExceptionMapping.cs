using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Posthorn.Core;

namespace Posthorn.Web.Api;

/// <summary>
/// Maps exceptions to the API's error shape in one place. Exception text from the domain's own
/// exceptions is written for people; anything else becomes a bare 500, never a stack trace.
/// Only the 500s are logged as errors: a bad request is the client's mistake, logged at Debug,
/// and the framework's own error-level "unhandled exception" line is suppressed for it, so an
/// operator's error log is not flooded by anyone sending junk.
/// </summary>
public static partial class ApiExceptionMapping
{
    public static IApplicationBuilder UseApiErrors(this IApplicationBuilder app) =>
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            SuppressDiagnosticsCallback = c => IsClientError(c.Exception),
            ExceptionHandler = async context =>
            {
                var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
                var (status, error, detail, field) = exception switch
                {
                    ValidationException v => (400, "invalid_request", v.Message, v.Field),
                    NotFoundException n => (404, "not_found", n.Message, null),
                    ConflictException c => (409, "conflict", c.Message, null),
                    BadHttpRequestException b => (b.StatusCode, "bad_request", BadRequestText.Describe(b).Detail, BadRequestText.Describe(b).Field),
                    _ => (500, "internal_error", "Something went wrong on the server; the error has been logged.", (string?)null),
                };
                var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Posthorn.Api");
                if (status == 500)
                {
                    LogUnhandled(logger, context.Request.Path, exception);
                }
                else
                {
                    LogClientError(logger, status, context.Request.Path, error);
                }

                context.Response.StatusCode = status;
                await context.Response.WriteAsJsonAsync(new ApiError(error, detail, field));
            },
        });

    /// <summary>Minimal APIs answer a body or parameter they cannot read with an empty 400 unless told to throw; thrown, it is described above.</summary>
    public static IServiceCollection AddApiErrors(this IServiceCollection services) =>
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

    public static bool IsClientError(Exception? exception) =>
        exception is ValidationException or NotFoundException or ConflictException or BadHttpRequestException { StatusCode: < 500 };

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error serving {Path}")]
    private static partial void LogUnhandled(ILogger logger, PathString path, Exception? exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Refused {Path} with {Status} ({Error})")]
    private static partial void LogClientError(ILogger logger, int status, PathString path, string error);
}
