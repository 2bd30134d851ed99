namespace Posthorn.Core.Deliveries;

/// <summary>
/// What the store did with one settlement it wrote: the service's consecutive failures after the
/// attempt (what the health policy decides on), and the status the delivery was left in. The status
/// can differ from the one planned: a redelivery asked for while the attempt was under way keeps the
/// delivery queued, so an attempt planned as the last of its round has not failed it for good.
/// </summary>
public readonly record struct SettledDelivery(int ServiceFailures, DeliveryStatus Status);
