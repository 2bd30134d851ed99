using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Posthorn.Core.Payloads;
using Posthorn.Core.Pushes;
using Posthorn.Git.Hooks;
using Posthorn.Git.Processes;
using Posthorn.Git.Refs;
using Posthorn.Git.SmartHttp;

namespace Posthorn.Git.Mercurial;

/// <summary>
/// A push to a Mercurial repository ("unbundle" or "pushkey"), under the repository's receive lock,
/// with the same guarantee as git's receive-pack:
/// <list type="number">
/// <item>an abandoned transaction of a killed hg is rolled back; refs that moved behind Posthorn's
/// back are recorded first, as a recovered push (<see cref="PushIntake.ReconcileAsync"/>), unless
/// the repository's files are unchanged since this process last recorded its refs
/// (<see cref="HgRecordedRefs"/>: then those are the refs on disk, and reading them is skipped);</item>
/// <item>hgweb runs with a hook session: in pretxnclose, inside the transaction and before anything
/// is visible, the hook sends the refs the transaction would leave and this process journals their
/// difference (<see cref="PushIntake.JournalAsync"/>); if this process is gone or fails, the hook
/// fails and hg rolls the whole transaction back, so no changeset lands unjournaled;</item>
/// <item>the refs are read again, committed, and their difference recorded as the push before the
/// client hears hgweb's answer (one Python process reads the refs together with the changesets and
/// ancestry the payload needs; <see cref="HgReadAhead"/> hands them to <see cref="HgPayloadBuilder"/>). A transaction rolled back after the hook leaves no difference:
/// nothing is announced. A push that landed but could not be recorded stays journaled and is
/// announced by reconciliation (before the next push or on the next pass).</item>
/// </list>
/// Thread-safe; register as a singleton.
/// </summary>
public sealed partial class HgPushHandler(
    HgWebGateway gateway, GitRunner runner, ReceiveLock receiveLock, PushIntake intake, HookListener hookListener, HgRecordedRefs recordedRefs,
    IOptions<MercurialOptions> options, IOptions<PayloadOptions> payloadOptions, ILogger<HgPushHandler> logger)
{
    public async Task HandleAsync(HttpContext context, ReceiveTarget target)
    {
        if (await receiveLock.AcquireOrRefuseAsync(context, target.GitDirectory).ConfigureAwait(false) is not { } held)
        {
            return;
        }

        await using (held.ConfigureAwait(false))
        {
            await PushLockedAsync(context, target).ConfigureAwait(false);
        }
    }

    private async Task PushLockedAsync(HttpContext context, ReceiveTarget target)
    {
        var directory = target.GitDirectory;

        // From here on no request token: once hg may have committed, recording must finish.
        IReadOnlyDictionary<string, string> before;
        try
        {
            await HgAbandonedTransaction.RecoverIfAnyAsync(runner, options.Value, directory, CancellationToken.None).ConfigureAwait(false);
            before = recordedRefs.Unchanged(directory)
                ?? (await intake.ReconcileAsync(target.Repository, directory, CancellationToken.None).ConfigureAwait(false)).Refs;
        }
        catch (Exception e)
        {
            LogReconcileFailed(logger, e, directory);
            await ReceiveLockAdmission.RefuseUnreconciledAsync(context).ConfigureAwait(false);
            return;
        }

        var answer = new MemoryStream();
        Func<HttpContext, Task>? failure = null;
        using (var session = hookListener.Open((pending, ct) => JournalAsync(target, before, pending, ct)))
        {
            try
            {
                await gateway.RunAsync(context, directory, target.Pusher, allowPush: true, session.Environment, (stdout, c) => stdout.CopyToAsync(answer, c), context.RequestAborted).ConfigureAwait(false);
            }
            catch (RequestTooLargeException)
            {
                failure = c => GitHttpErrors.TooLargeAsync(c, gateway.MaxRequestBodyBytes);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                failure = _ => Task.CompletedTask;
            }
        }

        // Whatever hgweb did, what it committed must be recorded. The fingerprint is taken before the
        // read, so whatever changes after it makes the next push reconcile.
        recordedRefs.Forget(directory);
        var fingerprint = HgRecordedRefs.Fingerprint(directory);
        var facts = await new HgChangesetLog(runner, options.Value).ReadAfterAsync(directory, before, payloadOptions.Value.MaxCommits, CancellationToken.None).ConfigureAwait(false);
        var updates = RefDiff.Between(before, facts.Refs);
        if (updates.Count == 0)
        {
            recordedRefs.Remember(directory, fingerprint, facts.Refs);
        }
        else
        {
            try
            {
                using var readAhead = HgReadAhead.Offer(facts);
                await intake.RecordAsync(new RefsMoved(target.Repository, directory, target.Pusher, updates, CountedTips.Of(target.Repository, before)), CancellationToken.None).ConfigureAwait(false);
                recordedRefs.Remember(directory, fingerprint, facts.Refs);
            }
            catch (Exception e)
            {
                LogRecordFailed(logger, e, directory, updates.Count);
                failure = c => GitHttpErrors.WriteAsync(c, StatusCodes.Status503ServiceUnavailable, "The push was applied but could not be recorded yet; it will be announced once the server can record it.");
            }
        }

        if (failure is not null)
        {
            await failure(context).ConfigureAwait(false);
            return;
        }

        answer.Position = 0;
        if (!await CgiOutput.CopyAsync(answer, context.Response, context.RequestAborted).ConfigureAwait(false))
        {
            await GitHttpErrors.WriteAsync(context, StatusCodes.Status502BadGateway, "Mercurial failed to answer the push.").ConfigureAwait(false);
        }
    }

    /// <summary>The hook's report is the whole ref state the transaction would leave; what differs from before is journaled.</summary>
    private async Task JournalAsync(ReceiveTarget target, IReadOnlyDictionary<string, string> before, IReadOnlyList<RefUpdate> pending, CancellationToken ct)
    {
        var updates = RefDiff.Between(before, HgRefReader.StateOf(pending));
        if (updates.Count > 0)
        {
            await intake.JournalAsync(target.Repository, target.Pusher, updates, ct).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Reconciling {Directory} before an hg push failed; the push is refused")]
    private static partial void LogReconcileFailed(ILogger logger, Exception exception, string directory);

    [LoggerMessage(Level = LogLevel.Error, Message = "Recording an hg push to {Directory} ({UpdateCount} ref updates) failed; it stays journaled for reconciliation")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, string directory, int updateCount);
}
