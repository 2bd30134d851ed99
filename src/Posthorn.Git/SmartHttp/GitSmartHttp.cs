using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Posthorn.Git.Processes;

namespace Posthorn.Git.SmartHttp;

/// <summary>
/// The smart HTTP protocol (Documentation/technical/http-protocol.txt) over the git CLI. The web
/// layer routes, authenticates and authorizes, then hands over the bare repository's directory.
/// Every entry point first takes a slot from <see cref="GitProcessGate"/> (busy: 503 with
/// Retry-After) and holds the request body to a minimum data rate (<see cref="SlowBodyLimit"/>).
/// Thread-safe; register as a singleton.
/// </summary>
public sealed partial class GitSmartHttp(
    GitRunner runner, ReceivePackHandler receivePack, GitProcessGate gate, IOptions<GitOptions> options, TimeProvider time, ILogger<GitSmartHttp> logger)
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

        using var slot = await AdmitAsync(context).ConfigureAwait(false);
        if (slot is null)
        {
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

        try
        {
            var result = await runner.RunAsync(
                new GitInvocation([service.Command(), "--stateless-rpc", "--advertise-refs", gitDirectory])
                {
                    Environment = service == GitService.ReceivePack
                        ? new Dictionary<string, string>(ReceivePackConfig.ForAdvertisement.Concat(Environment(protocol) ?? []))
                        : Environment(protocol),
                    Stdout = (stdout, ct) => stdout.CopyToAsync(response.Body, ct),
                },
                context.RequestAborted).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                LogServiceFailed(logger, service.Command(), gitDirectory, result.ExitCode, result.StderrTail);
                context.Abort();
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; git has been killed and there is no one to answer.
        }
    }

    /// <summary>POST {repo}/git-upload-pack: fetch and clone, streamed both ways.</summary>
    public async Task UploadPackAsync(HttpContext context, string gitDirectory)
    {
        var limit = Math.Min(options.Value.MaxFetchRequestBytes, options.Value.MaxRequestBodyBytes);
        using var slot = await AdmitAsync(context).ConfigureAwait(false);
        if (slot is null)
        {
            return;
        }

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
    /// POST {repo}/git-receive-pack: applies a push and records it before the client hears of it.
    /// See <see cref="ReceivePackHandler"/>.
    /// </summary>
    public async Task ReceivePackAsync(HttpContext context, ReceiveTarget target)
    {
        using var slot = await AdmitAsync(context).ConfigureAwait(false);
        if (slot is null)
        {
            return;
        }

        await using var overtime = CutAtMaxReceiveDuration(context, target.GitDirectory);
        await receivePack.HandleAsync(context, target).ConfigureAwait(false);
    }

    /// <summary>
    /// A push (git's or Mercurial's) holds the repository's receive lock while its body arrives. Cutting
    /// the connection at MaxReceiveDuration fires RequestAborted, which kills the process; the push
    /// handler then records or undoes what it applied (without the request token) and releases the lock.
    /// Dispose the timer when the push is done.
    /// </summary>
    public ITimer CutAtMaxReceiveDuration(HttpContext context, string directory)
    {
        var limit = options.Value.MaxReceiveDuration;
        return time.CreateTimer(
            _ =>
            {
                LogReceiveOvertime(logger, directory, limit);
                context.Abort();
            },
            null,
            limit,
            Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// A process slot for this request, or null once the client has been told the server is busy.
    /// Mercurial's hgweb processes take their slots here too: one cap for every process a request starts.
    /// </summary>
    public async Task<GitProcessSlot?> AdmitAsync(HttpContext context)
    {
        SlowBodyLimit.Apply(context, options.Value);
        GitProcessAdmission admission;
        try
        {
            admission = await gate.EnterAsync(ClientOf(context), context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return null;
        }

        if (admission.Slot is null)
        {
            LogBusy(logger, ClientOf(context), admission.ClientAtShare);
            await GitHttpErrors.BusyAsync(context, admission.ClientAtShare).ConfigureAwait(false);
        }

        return admission.Slot;
    }

    /// <summary>The remote address, IPv4 written the same whether it came over IPv4 or IPv6.</summary>
    public static string ClientOf(HttpContext context) =>
        context.Connection.RemoteIpAddress is not { } address ? "" :
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4().ToString() : address.ToString();

    internal static Dictionary<string, string>? Environment(string? protocol) =>
        protocol is null ? null : new Dictionary<string, string> { ["GIT_PROTOCOL"] = protocol };

    [LoggerMessage(Level = LogLevel.Warning, Message = "git {Service} failed for {GitDirectory} with exit code {ExitCode}: {StderrTail}")]
    private static partial void LogServiceFailed(ILogger logger, string service, string gitDirectory, int exitCode, string stderrTail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A push to {GitDirectory} ran longer than {Limit}; the connection was cut")]
    private static partial void LogReceiveOvertime(ILogger logger, string gitDirectory, TimeSpan limit);

    [LoggerMessage(Level = LogLevel.Information, Message = "Git request from {Client} refused: no git process free (client at its share: {ClientAtShare})")]
    private static partial void LogBusy(ILogger logger, string client, bool clientAtShare);

    [LoggerMessage(Level = LogLevel.Information, Message = "Malformed git request for {GitDirectory}: {Reason}")]
    private static partial void LogMalformed(ILogger logger, string gitDirectory, string reason);
}
