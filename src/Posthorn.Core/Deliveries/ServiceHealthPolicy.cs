namespace Posthorn.Core.Deliveries;

/// <summary>
/// Decides when a failing post service is paused or disabled, so a dead receiver stops costing
/// attempts yet is shown, never silently dropped. Input is the service's consecutive failures as
/// returned by <see cref="IDeliveryStore.SettleAsync"/>: failed ATTEMPTS (of any delivery) since the
/// last successful one, including the attempt just settled. Pure, immutable and thread-safe.
/// </summary>
public sealed class ServiceHealthPolicy
{
    /// <summary>The reason recorded when a receiver answers 410 (ASP.NET WebHooks' "gone" outcome).</summary>
    public const string GoneReason = "410 Gone from receiver";

    private readonly int pauseAfterFailures;
    private readonly int disableAfterFailures;
    private readonly TimeSpan pauseBase;
    private readonly TimeSpan pauseMax;

    /// <param name="pauseAfterFailures">Consecutive failures from which the service is paused.</param>
    /// <param name="disableAfterFailures">Consecutive failures from which it is disabled.</param>
    /// <param name="pauseBase">First pause; each further failure doubles it...</param>
    /// <param name="pauseMax">...up to this.</param>
    public ServiceHealthPolicy(int pauseAfterFailures, int disableAfterFailures, TimeSpan pauseBase, TimeSpan pauseMax)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pauseAfterFailures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(disableAfterFailures, pauseAfterFailures);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(pauseBase, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(pauseMax, pauseBase);
        this.pauseAfterFailures = pauseAfterFailures;
        this.disableAfterFailures = disableAfterFailures;
        this.pauseBase = pauseBase;
        this.pauseMax = pauseMax;
    }

    public HealthDecision Decide(AttemptOutcome outcome, int consecutiveFailures, DateTimeOffset now)
    {
        if (outcome == AttemptOutcome.Gone)
        {
            return HealthDecision.Disable(GoneReason);
        }

        if (outcome == AttemptOutcome.Succeeded || consecutiveFailures < pauseAfterFailures)
        {
            return HealthDecision.None;
        }

        if (consecutiveFailures >= disableAfterFailures)
        {
            return HealthDecision.Disable($"{consecutiveFailures} consecutive failed attempts");
        }

        return HealthDecision.Pause(now + PauseFor(consecutiveFailures));
    }

    /// <summary>PauseBase · 2^(failures − PauseAfter), capped at PauseMax without overflowing.</summary>
    public TimeSpan PauseFor(int consecutiveFailures)
    {
        var doublings = Math.Max(0, consecutiveFailures - pauseAfterFailures);
        var pause = pauseBase;
        for (var i = 0; i < doublings && pause < pauseMax; i++)
        {
            pause += pause;
        }

        return pause < pauseMax ? pause : pauseMax;
    }
}
