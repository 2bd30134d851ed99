using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Posthorn.Core.Deliveries;
using Posthorn.Core.PostServices;
using Posthorn.Delivery;

namespace Posthorn.Tests.Delivery.Support;

/// <summary>Builders for claimed deliveries and for the delivery services wired exactly as the host wires them.</summary>
public static class Deliveries
{
    public static ClaimedDelivery Claimed(string url, string payload = "{\"ok\":true}", PayloadFormat format = PayloadFormat.BitbucketPost, IReadOnlyList<string>? secrets = null, int attemptCount = 0)
    {
        var now = DateTimeOffset.UtcNow;
        var delivery = new Core.Deliveries.Delivery(Guid.NewGuid(), 7, 3, 11, DeliveryEvents.Push, DeliveryStatus.Pending, attemptCount, attemptCount, now, now, null, null, null);
        var service = new PostService(7, 3, url, format, true, secrets ?? [], ServiceHealth.Healthy, now);
        return new ClaimedDelivery(delivery, service, payload);
    }

    /// <summary>A provider from <see cref="DeliveryServiceCollectionExtensions.AddPostDelivery"/> with the given "Delivery:*" settings.</summary>
    public static ServiceProvider Provider(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? more = null)
    {
        var values = new Dictionary<string, string?> { ["Delivery:AllowPrivateTargets"] = "true", ["Delivery:NodeId"] = "test-node" };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddPostDelivery(configuration);
        more?.Invoke(services);
        return services.BuildServiceProvider();
    }
}
