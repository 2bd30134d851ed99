using Posthorn.Core.PostServices;

namespace Posthorn.Core.Payloads;

/// <summary>
/// Decides what one event sends to each service: none (not subscribed, branch filter not matched),
/// one, or several deliveries (format github: one per changed ref). Called by the store inside the
/// transaction that stores the deliveries, once per active service; must be pure and quick (documents
/// are written once per distinct format and filter and reused).
/// </summary>
public interface IDeliveryComposer
{
    IReadOnlyList<ComposedDelivery> For(ServiceSubscription service);
}
