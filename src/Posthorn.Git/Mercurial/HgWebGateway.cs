using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Posthorn.Git.Processes;
using Posthorn.Git.SmartHttp;

namespace Posthorn.Git.Mercurial;

/// <summary>
/// Runs Mercurial's own hgweb once per request as a CGI script (never a long-running "hg serve",
/// which has no access control). Posthorn has already authenticated and authorized the caller:
/// <c>allowPush</c> sets web.allow-push to "*" after its check and to nothing otherwise, so hgweb
/// refuses every push command Posthorn did not route through <see cref="HgPushHandler"/>.
/// Thread-safe; register as a singleton.
/// </summary>
public sealed class HgWebGateway(GitRunner runner, IOptions<MercurialOptions> options, IOptions<GitOptions> git)
{
    /// <summary>The request body cap, as for git (Git:MaxRequestBodyBytes).</summary>
    public long MaxRequestBodyBytes => git.Value.MaxRequestBodyBytes;

    /// <param name="output">Receives hgweb's whole CGI output (headers, blank line, body).</param>
    /// <param name="hook">The hook session's variables during a push; none otherwise.</param>
    /// <exception cref="RequestTooLargeException">The body exceeded the cap (hgweb saw a truncated body).</exception>
    public async Task<GitResult> RunAsync(
        HttpContext context, string directory, string? remoteUser, bool allowPush, IEnumerable<KeyValuePair<string, string>> hook,
        Func<Stream, CancellationToken, Task> output, CancellationToken ct)
    {
        var environment = CgiEnvironment.Of(context.Request, remoteUser);
        foreach (var (name, value) in HgCommand.Environment.Concat(hook))
        {
            environment[name] = value;
        }

        environment["POSTHORN_HG_ALLOW_PUSH"] = allowPush ? "*" : "";
        var limit = MaxRequestBodyBytes;
        var body = RequestBody.OpenRaw(context, limit);
        return await runner.RunAsync(
            HgScript.Invocation(options.Value, "cgi", directory, []) with
            {
                Environment = environment,
                Stdin = (stdin, c) => RequestBody.CopyAsync(body, stdin, limit, c),
                Stdout = output,
            },
            ct).ConfigureAwait(false);
    }

    /// <summary>Serves a request that changes nothing (capabilities, clone, pull), streaming hgweb's answer.</summary>
    public async Task ServeAsync(HttpContext context, string directory, string? remoteUser)
    {
        var answered = false;
        try
        {
            var result = await RunAsync(
                context, directory, remoteUser, allowPush: false, [],
                async (stdout, c) => answered = await CgiOutput.CopyAsync(stdout, context.Response, c).ConfigureAwait(false),
                context.RequestAborted).ConfigureAwait(false);
            if (!answered)
            {
                await GitHttpErrors.WriteAsync(context, StatusCodes.Status502BadGateway, $"Mercurial failed to answer (exit code {result.ExitCode}).").ConfigureAwait(false);
            }
        }
        catch (RequestTooLargeException)
        {
            await GitHttpErrors.TooLargeAsync(context, MaxRequestBodyBytes).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client hung up; hgweb was killed with its process tree.
        }
    }
}
