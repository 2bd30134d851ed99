using Posthorn.Core.Deliveries;

namespace Posthorn.Core.PostServices;

/// <summary>
/// What a service's recent deliveries say about it: shown to administrators so it never fails silently.
/// <see cref="ConsecutiveFailures"/> counts failed attempts since the last success.
/// A paused service is not sent to until <see cref="PausedUntil"/>; a disabled one until an admin or a
/// successful test re-enables it. Either way its deliveries stay queued.
/// </summary>
public sealed record ServiceHealth(
    AttemptOutcome? LastOutcome,
    DateTimeOffset? LastAttemptAt,
    int ConsecutiveFailures,
    DateTimeOffset? PausedUntil,
    DateTimeOffset? DisabledAt,
    string? DisabledReason)
{
    public static readonly ServiceHealth Healthy = new(null, null, 0, null, null, null);

    public bool IsDisabled => DisabledAt is not null;

    public bool IsPausedAt(DateTimeOffset now) => PausedUntil is { } until && until > now;
}
