using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Posthorn.Core.Pushes;
using Posthorn.Core.Repositories;
using Posthorn.Git.Hooks;
using Posthorn.Git.Mercurial;
using Posthorn.Git.Processes;
using Posthorn.Git.Refs;

namespace Posthorn.Git.Repositories;

/// <summary>
/// The safety net under the push path: at start-up git processes orphaned by an earlier server
/// are killed (<see cref="OrphanSweep"/>); then, at start-up and every Git:ReconcileInterval, each git
/// repository gets its transaction hook (re)installed (each Mercurial one its abandoned transaction
/// rolled back, <see cref="HgAbandonedTransaction"/>) and its refs on disk compared with the
/// recorded ones (<see cref="PushIntake.ReconcileAsync"/>), under its receive lock. Whatever moved
/// behind Posthorn's back (an orphan of a killed older version, an operator's push on the disk, a
/// restored backup) is recorded and delivered as a recovered push. The start-up pass also lets what
/// follows recorded pushes (pull requests) catch up with each repository's refs. One repository's failure is
/// logged and retried next pass; it never stops the others.
/// </summary>
public sealed partial class Reconciliation(
    IRepositoryStore repositories, IRepositoryFolders folders, ReceiveLock receiveLock, PushIntake intake, TransactionHook hook,
    IOptions<GitOptions> options, TimeProvider time, ILogger<Reconciliation> logger, GitRunner runner, IOptions<MercurialOptions> mercurial) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        OrphanSweep.Run(logger);
        using var timer = new PeriodicTimer(options.Value.ReconcileInterval, time);
        try
        {
            await StartUpPassAsync(stoppingToken).ConfigureAwait(false);
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await PassAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Repositories whose observers have caught up with their refs since the last start-up pass (null
    /// before it): each is caught up once, and one whose catch-up failed is tried again next pass.
    /// </summary>
    private ConcurrentDictionary<long, bool>? caughtUp;

    /// <summary>
    /// The first pass: as every pass, and each repository's observers catch up with its refs
    /// (<see cref="PushIntake.CatchUpAsync"/>), for a push the last run recorded but did not get to show
    /// them. Later passes catch up the repositories this one could not (and those created since).
    /// </summary>
    /// <returns>How many recovered pushes the pass recorded.</returns>
    public Task<int> StartUpPassAsync(CancellationToken ct)
    {
        caughtUp = new ConcurrentDictionary<long, bool>();
        return PassAsync(ct);
    }

    /// <returns>How many recovered pushes the pass recorded.</returns>
    public async Task<int> PassAsync(CancellationToken ct)
    {
        var recovered = 0;
        foreach (var repository in await repositories.ListRepositoriesAsync(ct).ConfigureAwait(false))
        {
            if (!Scms.IsKnown(repository.Scm))
            {
                continue;
            }

            try
            {
                if (await ReconcileAsync(repository, ct).ConfigureAwait(false))
                {
                    recovered++;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                LogFailed(logger, e, repository.FullName);
            }
        }

        return recovered;
    }

    private async Task<bool> ReconcileAsync(Repository repository, CancellationToken ct)
    {
        var directory = folders.PathOf(repository.Owner, repository.Slug);
        var isMercurial = repository.Scm == Scms.Mercurial;
        if (isMercurial ? !HgRepositories.IsRepository(directory) : !File.Exists(Path.Combine(directory, "HEAD")))
        {
            return false;
        }

        if (!isMercurial)
        {
            hook.Install(directory);
        }

        var held = await receiveLock.AcquireAsync(directory, ct).ConfigureAwait(false);
        await using (held.ConfigureAwait(false))
        {
            if (isMercurial)
            {
                // An hg killed mid-transaction blocks every later write until its journal is rolled back.
                await HgAbandonedTransaction.RecoverIfAnyAsync(runner, mercurial.Value, directory, ct).ConfigureAwait(false);
            }

            var (_, push) = await intake.ReconcileAsync(repository, directory, ct).ConfigureAwait(false);
            if (push is null)
            {
                await intake.ForgetStaleIntentsAsync(repository, ct).ConfigureAwait(false);
            }
            else
            {
                LogRecovered(logger, repository.FullName, push.Push.Id, push.Push.RefUpdates.Count, push.Push.Pusher);
            }

            if (caughtUp is { } done && !done.ContainsKey(repository.Id))
            {
                await intake.CatchUpAsync(repository, directory, ct).ConfigureAwait(false);
                done[repository.Id] = true;
            }

            return push is not null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refs of {Repository} had moved without being recorded; recorded recovered push {PushId} ({Count} ref updates, pusher '{Pusher}')")]
    private static partial void LogRecovered(ILogger logger, string repository, long pushId, int count, string pusher);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reconciling {Repository} failed; retrying next pass")]
    private static partial void LogFailed(ILogger logger, Exception exception, string repository);
}
