using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Posthorn.Core.Payloads;
using Posthorn.Core.Pushes;
using Posthorn.Git.Hooks;
using Posthorn.Git.Processes;
using Posthorn.Git.Refs;
using Posthorn.Git.Repositories;

namespace Posthorn.Git.SmartHttp;

/// <summary>
/// POST git-receive-pack, under the repository's receive lock:
/// <list type="number">
/// <item>reconcile: refs that moved behind Posthorn's back since the last recorded push are recorded
/// first, as a recovered push, so this push's payload starts from what has been announced;</item>
/// <item>run receive-pack with a hook session: before git moves any ref, the transaction hook hands the
/// moves to this process, which journals them (<see cref="PushIntake.JournalAsync"/>); if this process
/// is gone, the hook cannot reach it and git moves nothing;</item>
/// <item>read the refs again and record the difference as the push (payload, deliveries, recorded refs
/// in one transaction) before the client hears "ok"; if recording fails the refs are put back. The
/// payload is usually built already, from the journaled moves while git committed them
/// (<see cref="PayloadAhead"/>), and used only when the refs on disk moved exactly that way.</item>
/// </list>
/// A command whose ref name cannot be recorded exactly (not UTF-8) stops the request before git has
/// read all the commands (<see cref="ReceiveCommands"/>): nothing moves and the client reads why in
/// Posthorn's own report (<see cref="RefusedPushReport"/>); the transaction hook refuses such a name too.
/// git's stdout (report-status and progress, small) is held back until the push is recorded.
/// Thread-safe; register as a singleton.
/// </summary>
public sealed partial class ReceivePackHandler(
    GitRunner runner, ReceiveLock receiveLock, RefRestorer restorer, Housekeeping housekeeping, PushIntake intake, IRefReader refs,
    TransactionHook hook, HookListener hookListener, IOptions<GitOptions> options, ILogger<ReceivePackHandler> logger)
{
    public async Task HandleAsync(HttpContext context, ReceiveTarget target)
    {
        var limit = options.Value.MaxRequestBodyBytes;
        Stream body;
        try
        {
            body = RequestBody.Open(context, limit, new ReceiveCommands());
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

        if (await receiveLock.AcquireOrRefuseAsync(context, target.GitDirectory).ConfigureAwait(false) is not { } held)
        {
            return;
        }

        await using (held.ConfigureAwait(false))
        {
            await ReceiveLockedAsync(context, target, body, limit).ConfigureAwait(false);
        }
    }

    private async Task ReceiveLockedAsync(HttpContext context, ReceiveTarget target, Stream body, long limit)
    {
        var gitDirectory = target.GitDirectory;
        hook.Install(gitDirectory);

        // Work from here on uses no request token: once git may have moved refs, recording (or
        // undoing) them must finish even if the client has hung up.
        IReadOnlyDictionary<string, string> before;
        try
        {
            (before, _) = await intake.ReconcileAsync(target.Repository, gitDirectory, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            LogReconcileFailed(logger, e, gitDirectory);
            await ReceiveLockAdmission.RefuseUnreconciledAsync(context).ConfigureAwait(false);
            return;
        }

        var report = new MemoryStream();
        GitResult? result = null;
        Func<HttpContext, Task>? failure = null;
        var tipsBefore = CountedTips.Of(target.Repository, before);
        var ahead = new PayloadAhead(
            intake, new RefsMoved(target.Repository, gitDirectory, target.Pusher, [], tipsBefore), before, () => body is PktLineCheckingStream { FirstSectionPackets: 1 });
        // A client that hangs up while it is still sending stops git (nothing is locked or moved yet).
        // Once git has the whole request it is left to finish: stopped then, it would leave the
        // .lock files of the refs it was moving behind, and every later push of them would fail.
        using var uploading = new CancellationTokenSource();
        var hangUp = context.RequestAborted.Register(uploading.Cancel);
        using (var session = hookListener.Open(async (updates, ct) =>
        {
            await intake.JournalAsync(target.Repository, target.Pusher, updates, ct).ConfigureAwait(false);
            ahead.Prepared(updates);
        }))
        {
            try
            {
                result = await runner.RunAsync(
                    new GitInvocation(["receive-pack", "--stateless-rpc", gitDirectory])
                    {
                        Environment = new Dictionary<string, string>(
                            ReceivePackConfig.ForPush.Concat(session.Environment).Concat(GitSmartHttp.Environment(GitProtocolHeader.Read(context.Request)) ?? [])),
                        Stdin = async (stdin, ct) =>
                        {
                            await RequestBody.CopyAsync(body, stdin, limit, ct).ConfigureAwait(false);
                            await hangUp.DisposeAsync().ConfigureAwait(false);
                        },
                        Stdout = (stdout, ct) => stdout.CopyToAsync(report, ct),
                    },
                    uploading.Token).ConfigureAwait(false);
            }
            catch (MalformedRequestException e)
            {
                LogMalformed(logger, gitDirectory, e.Message);
                failure = GitHttpErrors.MalformedAsync;
            }
            catch (RefusedRefNameException e)
            {
                // git was stopped before it read the end of the commands: nothing moved.
                LogRefusedRefName(logger, gitDirectory, RefName.Shown(e.Commands.Refused!.Value.Name), e.Commands.Refused.Value.Why);
                failure = c => RefusedPushReport.WriteAsync(c, e.Commands);
            }
            catch (RequestTooLargeException)
            {
                failure = c => GitHttpErrors.TooLargeAsync(c, limit);
            }
            catch (OperationCanceledException) when (uploading.IsCancellationRequested)
            {
                failure = _ => Task.CompletedTask;
            }
            finally
            {
                await hangUp.DisposeAsync().ConfigureAwait(false);
            }
        }

        // Diff even when receive-pack failed: whatever it did apply must be recorded or undone.
        var after = await refs.ReadAsync(gitDirectory, CancellationToken.None).ConfigureAwait(false);
        var updates = RefDiff.Between(before, after);
        var moved = new RefsMoved(target.Repository, gitDirectory, target.Pusher, updates, tipsBefore);
        var built = ahead.For(updates);
        if (updates.Count > 0 && !await RecordAsync(moved, built).ConfigureAwait(false))
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
            // 128 is git's die(): receive-pack dies on commands and lines it cannot accept, which the client sent.
            await (result.ExitCode == 128 ? GitHttpErrors.RefusedAsync(context) : GitHttpErrors.GitFailedAsync(context)).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "application/x-git-receive-pack-result";
        context.Response.Headers.CacheControl = "no-cache";
        report.Position = 0;
        await report.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <returns>false when the push could not be recorded and its ref updates were reverted.</returns>
    private async Task<bool> RecordAsync(RefsMoved moved, Task<BuiltPayload>? built)
    {
        try
        {
            await intake.RecordAsync(moved, CancellationToken.None, built).ConfigureAwait(false);
            return true;
        }
        catch (Exception e)
        {
            LogRecordFailed(logger, e, moved.Directory, moved.Updates.Count);
        }

        try
        {
            await restorer.RestoreAsync(moved.Directory, moved.Updates, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            LogRestoreFailed(logger, e, moved.Directory, string.Join(", ", moved.Updates.Select(u => $"{u.RefName} {u.OldId}->{u.NewId}")));
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Reconciling {GitDirectory} before a push failed; the push is refused")]
    private static partial void LogReconcileFailed(ILogger logger, Exception exception, string gitDirectory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Malformed receive-pack request for {GitDirectory}: {Reason}")]
    private static partial void LogMalformed(ILogger logger, string gitDirectory, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "A push to {GitDirectory} was refused: the ref name {RefName} {Reason}")]
    private static partial void LogRefusedRefName(ILogger logger, string gitDirectory, string refName, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "git receive-pack failed for {GitDirectory} with exit code {ExitCode}: {StderrTail}")]
    private static partial void LogReceiveFailed(ILogger logger, string gitDirectory, int exitCode, string stderrTail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Recording a push to {GitDirectory} ({UpdateCount} ref updates) failed; reverting the refs")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, string gitDirectory, int updateCount);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Reverting unrecorded ref updates in {GitDirectory} failed; applied but unrecorded: {Updates}")]
    private static partial void LogRestoreFailed(ILogger logger, Exception exception, string gitDirectory, string updates);
}
