namespace Posthorn.Delivery;

/// <summary>
/// Configuration section "Delivery". Every property documents its default; <see cref="Validate"/>
/// range-checks them and runs at start-up, so a bad value stops the host with a clear message.
/// </summary>
public sealed class DeliveryOptions
{
    public const string SectionName = "Delivery";

    /// <summary>What a lease must leave over beyond an attempt and its margin, for the claim that takes it.</summary>
    public static readonly TimeSpan LeaseRoom = TimeSpan.FromMilliseconds(500);

    /// <summary>The schedule used when <see cref="RetrySchedule"/> is not configured: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (about 28 h in all).</summary>
    public static readonly IReadOnlyList<TimeSpan> DefaultRetrySchedule =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
        TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];

    /// <summary>Time allowed for one attempt, connect to last response byte read. Default 15 s; 100 ms..10 min.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Delays before attempts 2..n of a round (the first is immediate). Null (default) means
    /// <see cref="DefaultRetrySchedule"/>; nullable because the configuration binder appends to a
    /// non-empty list instead of replacing it. Each entry 0..7 days, at most 50 entries.
    /// </summary>
    public IList<TimeSpan>? RetrySchedule { get; set; }

    /// <summary>Each retry delay is scaled by a random factor in [1 − Jitter, 1 + Jitter]. Default 0.2; 0..0.9.</summary>
    public double Jitter { get; set; } = 0.2;

    /// <summary>Longest Retry-After (429/503) honoured. Default 1 h; 0..1 day.</summary>
    public TimeSpan RetryAfterCap { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Consecutive failed attempts from which a service is paused. Default 4; 1..1000.</summary>
    public int PauseAfterFailures { get; set; } = 4;

    /// <summary>Consecutive failed attempts from which a service is disabled. Default 40; ≥ PauseAfterFailures, ≤ 100000.</summary>
    public int DisableAfterFailures { get; set; } = 40;

    /// <summary>First pause, doubled per further failure. Default 1 min; 1 s..PauseMax.</summary>
    public TimeSpan PauseBase { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Longest pause. Default 24 h; PauseBase..30 days.</summary>
    public TimeSpan PauseMax { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How long a claim is held before another node may take the delivery over. Default 2 min; at least
    /// AttemptTimeout + LeaseMargin, ≤ 1 h. A node never starts an attempt its remaining lease cannot
    /// cover (AttemptTimeout + LeaseMargin): on an overloaded node it gives the lease back instead.
    /// </summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Lease left over when an attempt started at the last moment has timed out: covers a late timer
    /// on a busy machine and clock differences between nodes. Default 1 s; 0..1 min.
    /// </summary>
    public TimeSpan LeaseMargin { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Attempts in flight at once on this node. Default 64; 1..10000.</summary>
    public int MaxConcurrency { get; set; } = 64;

    /// <summary>
    /// Attempts of one service in flight at once on this node, so a service whose receiver hangs
    /// cannot take every slot and hold up the others (issue 3), and an ordinary receiver (a stock
    /// threaded HTTP server with a listen backlog of 5) is not flooded when a backlog drains.
    /// Default 4; 1..10000 (a value at or above MaxConcurrency turns the limit off).
    /// </summary>
    public int MaxInFlightPerService { get; set; } = 4;

    /// <summary>
    /// Attempts of one owner's services (all their repositories) in flight at once on this node, so
    /// one account's many services at a hanging receiver cost that account, never another's
    /// deliveries. Default 16; 1..10000 (at or above MaxConcurrency turns the limit off).
    /// </summary>
    public int MaxInFlightPerOwner { get; set; } = 16;

    /// <summary>Most deliveries claimed per store round trip. Default 64; 1..10000.</summary>
    public int ClaimBatch { get; set; } = 64;

    /// <summary>Bytes of the request body kept in the attempt log (the full body is always sent). Default 64 KiB; 0..16 MiB.</summary>
    public int StoredRequestBodyLimit { get; set; } = 64 * 1024;

    /// <summary>Bytes of the response body read and kept; the rest is never read, so a huge answer cannot exhaust memory. Default 64 KiB; 0..16 MiB.</summary>
    public int ResponseBodyLimit { get; set; } = 64 * 1024;

    /// <summary>Finished deliveries older than this are pruned. Default 30 days; 1 h..10 years.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often pruning runs. Default 1 h; 1 min..7 days.</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Longest the dispatcher sleeps without a wake-up, so expiring pauses and other nodes' retries are noticed. Default 5 s; 10 ms..5 min.</summary>
    public TimeSpan MaxIdle { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Allow loopback, private, link-local and other non-public targets. Default false (SSRF protection); tests and intranet installs turn it on.</summary>
    public bool AllowPrivateTargets { get; set; }

    /// <summary>This node's name in leases and attempt logs. Default "{machine name}-{process id}"; 1..100 characters.</summary>
    public string NodeId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>The retry schedule in force.</summary>
    public IReadOnlyList<TimeSpan> EffectiveRetrySchedule => RetrySchedule is { Count: > 0 } configured ? [.. configured] : DefaultRetrySchedule;

    /// <summary>Every broken rule, as "Delivery:Name ..." messages; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        void Check(bool ok, string message)
        {
            if (!ok)
            {
                errors.Add($"{SectionName}:{message}");
            }
        }

        Check(AttemptTimeout >= TimeSpan.FromMilliseconds(100) && AttemptTimeout <= TimeSpan.FromMinutes(10), "AttemptTimeout must be between 100 ms and 10 min.");
        Check(RetrySchedule is null || (RetrySchedule.Count <= 50 && RetrySchedule.All(d => d >= TimeSpan.Zero && d <= TimeSpan.FromDays(7))), "RetrySchedule must have at most 50 delays, each between 0 and 7 days.");
        Check(Jitter is >= 0 and <= 0.9, "Jitter must be between 0 and 0.9.");
        Check(RetryAfterCap >= TimeSpan.Zero && RetryAfterCap <= TimeSpan.FromDays(1), "RetryAfterCap must be between 0 and 1 day.");
        Check(PauseAfterFailures is >= 1 and <= 1000, "PauseAfterFailures must be between 1 and 1000.");
        Check(DisableAfterFailures >= PauseAfterFailures && DisableAfterFailures <= 100_000, "DisableAfterFailures must be at least PauseAfterFailures and at most 100000.");
        Check(PauseBase >= TimeSpan.FromSeconds(1) && PauseBase <= PauseMax, "PauseBase must be at least 1 s and at most PauseMax.");
        Check(PauseMax <= TimeSpan.FromDays(30), "PauseMax must be at most 30 days.");
        Check(LeaseMargin >= TimeSpan.Zero && LeaseMargin <= TimeSpan.FromMinutes(1), "LeaseMargin must be between 0 and 1 min.");
        // Room for the claim's own round trip: with none, every claim would come back too late for
        // an attempt and be given back, and nothing would ever be sent.
        Check(Lease > AttemptTimeout && Lease >= AttemptTimeout + LeaseMargin + LeaseRoom && Lease <= TimeSpan.FromHours(1),
            "Lease must be at least AttemptTimeout + LeaseMargin + 0.5 s (room for the claim itself) and at most 1 h.");
        Check(MaxConcurrency is >= 1 and <= 10_000, "MaxConcurrency must be between 1 and 10000.");
        Check(MaxInFlightPerService is >= 1 and <= 10_000, "MaxInFlightPerService must be between 1 and 10000.");
        Check(MaxInFlightPerOwner is >= 1 and <= 10_000, "MaxInFlightPerOwner must be between 1 and 10000.");
        Check(ClaimBatch is >= 1 and <= 10_000, "ClaimBatch must be between 1 and 10000.");
        Check(StoredRequestBodyLimit is >= 0 and <= 16 << 20, "StoredRequestBodyLimit must be between 0 and 16 MiB.");
        Check(ResponseBodyLimit is >= 0 and <= 16 << 20, "ResponseBodyLimit must be between 0 and 16 MiB.");
        Check(Retention >= TimeSpan.FromHours(1) && Retention <= TimeSpan.FromDays(3650), "Retention must be between 1 h and 10 years.");
        Check(PruneInterval >= TimeSpan.FromMinutes(1) && PruneInterval <= TimeSpan.FromDays(7), "PruneInterval must be between 1 min and 7 days.");
        Check(MaxIdle >= TimeSpan.FromMilliseconds(10) && MaxIdle <= TimeSpan.FromMinutes(5), "MaxIdle must be between 10 ms and 5 min.");
        Check(!string.IsNullOrWhiteSpace(NodeId) && NodeId.Length <= 100, "NodeId must be 1 to 100 characters.");
        return errors;
    }
}
