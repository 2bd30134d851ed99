namespace Posthorn.Core.Deliveries;

/// <summary>
/// When a delivery whose last attempt failed is tried again: the schedule is data (delays before
/// attempts 2..n of a round; the first attempt is immediate) and this is a pure function of it,
/// so a restart loses nothing and tests need no clock. Immutable and thread-safe.
/// </summary>
public sealed class RetrySchedule
{
    private readonly TimeSpan[] delays;
    private readonly double jitter;
    private readonly TimeSpan retryAfterCap;

    /// <param name="delays">Delay before attempt 2, 3, ...; its length bounds the attempts of a round to delays.Count + 1.</param>
    /// <param name="jitter">Fraction in [0, 1): each delay is scaled by a factor in [1 - jitter, 1 + jitter] so retries of many deliveries spread out.</param>
    /// <param name="retryAfterCap">Longest receiver-requested wait (Retry-After) we honour.</param>
    public RetrySchedule(IEnumerable<TimeSpan> delays, double jitter, TimeSpan retryAfterCap)
    {
        ArgumentNullException.ThrowIfNull(delays);
        this.delays = delays.ToArray();
        if (this.delays.Any(d => d < TimeSpan.Zero))
        {
            throw new ArgumentOutOfRangeException(nameof(delays), "Retry delays cannot be negative.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(jitter);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(jitter, 1.0);
        ArgumentOutOfRangeException.ThrowIfLessThan(retryAfterCap, TimeSpan.Zero);
        this.jitter = jitter;
        this.retryAfterCap = retryAfterCap;
    }

    /// <summary>Attempts a round may make: the immediate one plus one per delay.</summary>
    public int MaxAttempts => delays.Length + 1;

    /// <summary>
    /// The time of the next attempt after a failed one, or null when the round is exhausted (the
    /// delivery then fails). <paramref name="roundAttemptsDone"/> includes the attempt that just failed.
    /// A <paramref name="retryAfter"/> from the receiver (429/503) is a floor, capped so a receiver
    /// cannot park a delivery for days; it never extends the round beyond the schedule's length.
    /// </summary>
    /// <param name="random01">A uniform random number in [0, 1), injected so the maths stays pure.</param>
    public DateTimeOffset? NextAttemptAt(int roundAttemptsDone, DateTimeOffset now, double random01, TimeSpan? retryAfter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(roundAttemptsDone, 1);
        if (roundAttemptsDone > delays.Length)
        {
            return null;
        }

        var random = Math.Clamp(random01, 0.0, 1.0);
        var factor = 1.0 + (jitter * ((2.0 * random) - 1.0));
        var delay = TimeSpan.FromTicks((long)(delays[roundAttemptsDone - 1].Ticks * factor));
        if (retryAfter is { } requested && requested > delay)
        {
            delay = requested < retryAfterCap ? requested : retryAfterCap;
            if (delay < TimeSpan.Zero)
            {
                delay = TimeSpan.Zero;
            }
        }

        return now + delay;
    }
}
