using Microsoft.AspNetCore.Http;

namespace Posthorn.Git.SmartHttp;

/// <summary>
/// Error answers for git clients: plain text, which git prints to the user, and fixed wording
/// (never exception text). Only possible while the response has not started.
/// </summary>
public static class GitHttpErrors
{
    /// <summary>How long a refused git client is asked to wait (Retry-After) before trying again.</summary>
    public const int RetryAfterSeconds = 5;

    public static async Task WriteAsync(HttpContext context, int status, string message, int? retryAfterSeconds = null)
    {
        if (context.Response.HasStarted)
        {
            // Headers are gone: the only honest signal left is to cut the connection.
            context.Abort();
            return;
        }

        context.Response.Clear();
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        if (retryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await context.Response.WriteAsync(message + "\n", context.RequestAborted).ConfigureAwait(false);
    }

    public static Task MalformedAsync(HttpContext context) =>
        WriteAsync(context, StatusCodes.Status400BadRequest, "Malformed git request.");

    public static Task TooLargeAsync(HttpContext context, long limit) =>
        WriteAsync(context, StatusCodes.Status413PayloadTooLarge, $"The request is larger than this server accepts ({limit} bytes).");

    /// <summary>No git process came free in time (see GitProcessGate): 503 with Retry-After.</summary>
    public static Task BusyAsync(HttpContext context, bool clientAtShare) =>
        WriteAsync(context, StatusCodes.Status503ServiceUnavailable, BusyMessage(clientAtShare), RetryAfterSeconds);

    /// <summary>Why no git process was given: the client's own share, or a busy server (also said by the pages that run git).</summary>
    public static string BusyMessage(bool clientAtShare) => clientAtShare
        ? $"Too many git requests from your address are running at once; try again in {RetryAfterSeconds} seconds."
        : $"The server is busy with other git requests; try again in {RetryAfterSeconds} seconds.";

    /// <summary>git died (exit 128) on a request that was well framed but asked for something invalid: the client's error, not ours.</summary>
    public static Task RefusedAsync(HttpContext context) =>
        WriteAsync(context, StatusCodes.Status400BadRequest, "git refused the request.");

    public static Task GitFailedAsync(HttpContext context) =>
        WriteAsync(context, StatusCodes.Status500InternalServerError, "git failed to process the request; see the server log.");
}
