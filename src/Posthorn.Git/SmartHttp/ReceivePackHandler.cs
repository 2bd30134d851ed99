using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Posthorn.Core.Pushes;
using Posthorn.Git.Processes;
using Posthorn.Git.Refs;
using Posthorn.Git.Repositories;

namespace Posthorn.Git.SmartHttp;

/// <summary>
/// POST git-receive-pack. Under the repository's receive lock: snapshot refs, run receive-pack
/// (its stdout — report-status and progress, small — is held back), snapshot again, and hand the
/// difference to the caller. Only once the caller has recorded the push does the client hear
/// "ok"; if recording fails the refs are put back, so no push is ever applied but unrecorded.
/// Thread-safe; register as a singleton.
/// </summary>
public sealed partial class ReceivePackHandler(
    GitRunner runner, ReceiveLock receiveLock, RefRestorer restorer, Housekeeping housekeeping, IOptions<GitOptions> options, ILogger<ReceivePackHandler> logger)
{
    public async Task HandleAsync(HttpContext context, string gitDirectory, Func<AcceptedPush, CancellationToken, Task> onAccepted)
    {
        var limit = options.Value.MaxRequestBodyBytes;
        Stream body;
        try
        {
            body = RequestBody.Open(context, limit);
        }
        catch (RequestTooLargeException)
        {
            await GitHttpErrors.TooLargeAsync(context, limit).ConfigureAwait(false);
            return;
        }
        catch (MalformedRequestException)
        {
            await GitHttpErrors.MalformedAsync(context).ConfigureAwait(false);
            return;
        }

        IAsyncDisposable held;
        try
        {
            held = await receiveLock.AcquireAsync(gitDirectory, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or IOException)
        {
            await GitHttpErrors.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "The repository is busy with another push; try again.").ConfigureAwait(false);
            return;
        }

        await using (held.ConfigureAwait(false))
        {
            await ReceiveLockedAsync(context, gitDirectory, body, limit, onAccepted).ConfigureAwait(false);
        }
    }

    private async Task ReceiveLockedAsync(HttpContext context, string gitDirectory, Stream body, long limit, Func<AcceptedPush, CancellationToken, Task> onAccepted)
    {
        // Work after receive-pack runs uses no request token: once git has moved refs, recording
        // (or undoing) them must finish even if the client has hung up.
        var before = await RefSnapshot.ReadAsync(runner, gitDirectory, CancellationToken.None).ConfigureAwait(false);
        var report = new MemoryStream();
        GitResult? result = null;
        Func<HttpContext, Task>? failure = null;
        try
        {
            result = await runner.RunAsync(
                new GitInvocation(["receive-pack", "--stateless-rpc", gitDirectory])
                {
                    Environment = new Dictionary<string, string>(
                        Housekeeping.ReceivePackEnvironment.Concat(GitSmartHttp.Environment(GitProtocolHeader.Read(context.Request)) ?? [])),
                    Stdin = (stdin, ct) => RequestBody.CopyAsync(body, stdin, limit, ct),
                    Stdout = (stdout, ct) => stdout.CopyToAsync(report, ct),
                },
                context.RequestAborted).ConfigureAwait(false);
        }
        catch (MalformedRequestException e)
        {
            LogMalformed(logger, gitDirectory, e.Message);
            failure = GitHttpErrors.MalformedAsync;
        }
        catch (RequestTooLargeException)
        {
            failure = c => GitHttpErrors.TooLargeAsync(c, limit);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            failure = _ => Task.CompletedTask;
        }

        // Diff even when receive-pack failed: whatever it did apply must be recorded or undone.
        var after = await RefSnapshot.ReadAsync(runner, gitDirectory, CancellationToken.None).ConfigureAwait(false);
        var updates = before.Diff(after);
        if (updates.Count > 0 && !await RecordAsync(gitDirectory, new AcceptedPush(updates, before.Tips), onAccepted).ConfigureAwait(false))
        {
            await GitHttpErrors.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "The push could not be recorded and has been undone; try again later.").ConfigureAwait(false);
            return;
        }

        if (updates.Count > 0)
        {
            await DefaultBranch.EnsureAsync(runner, gitDirectory, updates, after).ConfigureAwait(false);
            housekeeping.PushApplied(gitDirectory);
        }

        if (failure is not null)
        {
            await failure(context).ConfigureAwait(false);
            return;
        }

        if (result is { Succeeded: false } && report.Length == 0)
        {
            LogReceiveFailed(logger, gitDirectory, result.ExitCode, result.StderrTail);
            await GitHttpErrors.GitFailedAsync(context).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "application/x-git-receive-pack-result";
        context.Response.Headers.CacheControl = "no-cache";
        report.Position = 0;
        await report.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <returns>false when the push could not be recorded and its ref updates were reverted.</returns>
    private async Task<bool> RecordAsync(string gitDirectory, AcceptedPush push, Func<AcceptedPush, CancellationToken, Task> onAccepted)
    {
        try
        {
            await onAccepted(push, CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (Exception e)
        {
            LogRecordFailed(logger, e, gitDirectory, push.RefUpdates.Count);
        }

        try
        {
            await restorer.RestoreAsync(gitDirectory, push.RefUpdates, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            LogRestoreFailed(logger, e, gitDirectory, string.Join(", ", push.RefUpdates.Select(u => $"{u.RefName} {u.OldId}->{u.NewId}")));
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Malformed receive-pack request for {GitDirectory}: {Reason}")]
    private static partial void LogMalformed(ILogger logger, string gitDirectory, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "git receive-pack failed for {GitDirectory} with exit code {ExitCode}: {StderrTail}")]
    private static partial void LogReceiveFailed(ILogger logger, string gitDirectory, int exitCode, string stderrTail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Recording a push to {GitDirectory} ({UpdateCount} ref updates) failed; reverting the refs")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, string gitDirectory, int updateCount);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Reverting unrecorded ref updates in {GitDirectory} failed; applied but unrecorded: {Updates}")]
    private static partial void LogRestoreFailed(ILogger logger, Exception exception, string gitDirectory, string updates);
}
