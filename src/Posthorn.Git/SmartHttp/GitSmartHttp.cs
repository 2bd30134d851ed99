using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Posthorn.Git.Processes;

namespace Posthorn.Git.SmartHttp;

/// <summary>
/// The smart HTTP protocol (Documentation/technical/http-protocol.txt) over the git CLI. The web
/// layer routes, authenticates and authorizes, then hands over the bare repository's directory.
/// Thread-safe; register as a singleton.
/// </summary>
public sealed partial class GitSmartHttp(GitRunner runner, ReceivePackHandler receivePack, IOptions<GitOptions> options, ILogger<GitSmartHttp> logger)
{
    /// <summary>GET {repo}/info/refs?service=git-upload-pack|git-receive-pack: the ref advertisement.</summary>
    public async Task InfoRefsAsync(HttpContext context, string gitDirectory)
    {
        var serviceName = context.Request.Query["service"].ToString();
        if (serviceName.Length == 0)
        {
            // The "dumb" protocol would serve repository files directly; it is not offered.
            await GitHttpErrors.WriteAsync(context, StatusCodes.Status400BadRequest, "Only the smart HTTP protocol is supported; use git 1.6.6 or later.").ConfigureAwait(false);
            return;
        }

        if (GitServiceNames.Parse(serviceName) is not { } service)
        {
            await GitHttpErrors.WriteAsync(context, StatusCodes.Status403Forbidden, "Unsupported git service.").ConfigureAwait(false);
            return;
        }

        var protocol = GitProtocolHeader.Read(context.Request);
        var response = context.Response;
        response.ContentType = $"application/x-git-{service.Command()}-advertisement";
        response.Headers.CacheControl = "no-cache";

        // http-protocol.txt, "Smart Server Response": a v0/v1 advertisement starts with
        // "# service=..." and a flush-pkt; protocol v2 sends its capability list directly
        // (http-backend.c does the same). receive-pack never speaks v2, so it always gets the line.
        if (!(service == GitService.UploadPack && GitProtocolHeader.IsVersion2(protocol)))
        {
            await response.Body.WriteAsync(PktLine.ServiceAnnouncement(serviceName), context.RequestAborted).ConfigureAwait(false);
        }

        var result = await runner.RunAsync(
            new GitInvocation([service.Command(), "--stateless-rpc", "--advertise-refs", gitDirectory])
            {
                Environment = Environment(protocol),
                Stdout = (stdout, ct) => stdout.CopyToAsync(response.Body, ct),
            },
            context.RequestAborted).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            LogServiceFailed(logger, service.Command(), gitDirectory, result.ExitCode, result.StderrTail);
            context.Abort();
        }
    }

    /// <summary>POST {repo}/git-upload-pack: fetch and clone, streamed both ways.</summary>
    public async Task UploadPackAsync(HttpContext context, string gitDirectory)
    {
        var limit = options.Value.MaxRequestBodyBytes;
        try
        {
            var body = RequestBody.Open(context, limit);
            context.Response.ContentType = "application/x-git-upload-pack-result";
            context.Response.Headers.CacheControl = "no-cache";
            var result = await runner.RunAsync(
                new GitInvocation(["upload-pack", "--stateless-rpc", gitDirectory])
                {
                    Environment = Environment(GitProtocolHeader.Read(context.Request)),
                    Stdin = (stdin, ct) => RequestBody.CopyAsync(body, stdin, limit, ct),
                    Stdout = (stdout, ct) => stdout.CopyToAsync(context.Response.Body, ct),
                },
                context.RequestAborted).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                LogServiceFailed(logger, "upload-pack", gitDirectory, result.ExitCode, result.StderrTail);
                // 128 is git's die(): upload-pack dies on wants and lines it cannot accept, which the client sent.
                await (result.ExitCode == 128 ? GitHttpErrors.RefusedAsync(context) : GitHttpErrors.GitFailedAsync(context)).ConfigureAwait(false);
            }
        }
        catch (MalformedRequestException e)
        {
            LogMalformed(logger, gitDirectory, e.Message);
            await GitHttpErrors.MalformedAsync(context).ConfigureAwait(false);
        }
        catch (RequestTooLargeException)
        {
            await GitHttpErrors.TooLargeAsync(context, limit).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; git has been killed and there is no one to answer.
        }
    }

    /// <summary>
    /// POST {repo}/git-receive-pack: applies a push, then calls <paramref name="onAccepted"/> with
    /// what git applied before the client hears of it. See <see cref="ReceivePackHandler"/>.
    /// </summary>
    public Task ReceivePackAsync(HttpContext context, string gitDirectory, Func<AcceptedPush, CancellationToken, Task> onAccepted) =>
        receivePack.HandleAsync(context, gitDirectory, onAccepted);

    internal static Dictionary<string, string>? Environment(string? protocol) =>
        protocol is null ? null : new Dictionary<string, string> { ["GIT_PROTOCOL"] = protocol };

    [LoggerMessage(Level = LogLevel.Warning, Message = "git {Service} failed for {GitDirectory} with exit code {ExitCode}: {StderrTail}")]
    private static partial void LogServiceFailed(ILogger logger, string service, string gitDirectory, int exitCode, string stderrTail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Malformed git request for {GitDirectory}: {Reason}")]
    private static partial void LogMalformed(ILogger logger, string gitDirectory, string reason);
}
