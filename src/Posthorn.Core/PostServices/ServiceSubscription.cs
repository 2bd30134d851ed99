namespace Posthorn.Core.PostServices;

/// <summary>
/// What decides which deliveries a service gets and in which document: read in the transaction that
/// stores them, so a service saved meanwhile is never half-applied.
/// </summary>
public sealed record ServiceSubscription(long ServiceId, PayloadFormat Format, IReadOnlyList<string> Events, IReadOnlyList<string> Branches)
{
    public bool Subscribes(string serviceEvent) => Events.Contains(serviceEvent, StringComparer.Ordinal);
}
