using Microsoft.Extensions.Options;
using Posthorn.Core.Deliveries;
using Posthorn.Core.Payloads;
using Posthorn.Core.PostServices;
using Posthorn.Core.Repositories;
using Posthorn.Delivery.Pinging;
using Posthorn.Web.Hosting;

namespace Posthorn.Web.PostServices;

/// <summary>What an administrator does to a service besides editing it: test, re-enable, redeliver. Shared by the API and the pages.</summary>
public sealed class PostServiceOperations(
    IPostServiceStore services,
    IDeliveryStore deliveries,
    IRepositoryStore repositories,
    IDeliveryWakeup wakeup,
    ServiceTester tester,
    IOptions<ServerOptions> server,
    TimeProvider time)
{
    /// <summary>Sends a ping now, inline, whatever the service's state; a success re-enables a paused or disabled service.</summary>
    public async Task<DeliveryDetail> TestAsync(PostService service, string requestedBy, CancellationToken ct)
    {
        var repository = await repositories.FindRepositoryByIdAsync(service.RepositoryId, ct) ?? throw new Core.NotFoundException("Repository not found.");
        var attempt = await tester.TestAsync(service.Id, PingPayload.For(service, repository, requestedBy, server.Value.PublicUrl), ct);
        return await deliveries.FindDeliveryAsync(service.Id, attempt.DeliveryId, ct) ?? throw new Core.NotFoundException("The ping delivery was deleted meanwhile.");
    }

    public async Task ReEnableAsync(PostService service, CancellationToken ct)
    {
        await services.ResetHealthAsync(service.Id, ct);
        wakeup.Notify();
    }

    public async Task<bool> RedeliverAsync(PostService service, Guid deliveryId, CancellationToken ct)
    {
        var queued = await deliveries.RedeliverAsync(service.Id, deliveryId, time.GetUtcNow(), ct);
        if (queued)
        {
            wakeup.Notify();
        }

        return queued;
    }

    public async Task<int> RedeliverFailedSinceAsync(PostService service, DateTimeOffset since, CancellationToken ct)
    {
        var count = await deliveries.RedeliverFailedSinceAsync(service.Id, since, time.GetUtcNow(), ct);
        if (count > 0)
        {
            wakeup.Notify();
        }

        return count;
    }
}
