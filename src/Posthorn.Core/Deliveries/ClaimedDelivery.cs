using Posthorn.Core.PostServices;

namespace Posthorn.Core.Deliveries;

/// <summary>A delivery leased to one node, with everything needed to send it.</summary>
public sealed record ClaimedDelivery(Delivery Delivery, PostService Service, string Payload);
