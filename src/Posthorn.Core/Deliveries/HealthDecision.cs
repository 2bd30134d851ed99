namespace Posthorn.Core.Deliveries;

/// <summary>The <see cref="ServiceHealthPolicy"/>'s verdict: pause until <see cref="PausedUntil"/>, or disable for <see cref="Reason"/>.</summary>
public sealed record HealthDecision(HealthAction Action, DateTimeOffset? PausedUntil, string? Reason)
{
    public static readonly HealthDecision None = new(HealthAction.None, null, null);

    public static HealthDecision Pause(DateTimeOffset until) => new(HealthAction.Pause, until, null);

    public static HealthDecision Disable(string reason) => new(HealthAction.Disable, null, reason);
}
