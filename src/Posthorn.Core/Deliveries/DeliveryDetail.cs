namespace Posthorn.Core.Deliveries;

/// <summary>A delivery with all its attempts, oldest first.</summary>
public sealed record DeliveryDetail(Delivery Delivery, IReadOnlyList<Attempt> Attempts);
