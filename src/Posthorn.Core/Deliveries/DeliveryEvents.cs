namespace Posthorn.Core.Deliveries;

/// <summary>Event names carried by deliveries (and the event header).</summary>
public static class DeliveryEvents
{
    public const string Push = "push";
    public const string Ping = "ping";
}
