using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Posthorn.Core.Deliveries;
using Posthorn.Delivery.Dispatching;
using Posthorn.Delivery.Pinging;
using Posthorn.Delivery.Pruning;
using Posthorn.Delivery.Sending;
using Posthorn.Delivery.Targets;

namespace Posthorn.Delivery;

public static class DeliveryServiceCollectionExtensions
{
    /// <summary>
    /// The POST service's sending side: options (section "Delivery", validated at start), the
    /// guarded typed <see cref="PostSender"/>, the dispatcher and pruner (hosted), and
    /// <see cref="ServiceTester"/>. The host registers IDeliveryStore, IPostServiceStore and IDeliveryWakeup.
    /// </summary>
    public static IServiceCollection AddPostDelivery(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<DeliveryOptions>().Bind(configuration.GetSection(DeliveryOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DeliveryOptions>, DeliveryOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(Random.Shared); // thread-safe; only the settlement writer draws from it
        services.TryAddSingleton<TargetGuard>();
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<DeliveryOptions>>().Value;
            return new RetrySchedule(o.EffectiveRetrySchedule, o.Jitter, o.RetryAfterCap);
        });
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<DeliveryOptions>>().Value;
            return new ServiceHealthPolicy(o.PauseAfterFailures, o.DisableAfterFailures, o.PauseBase, o.PauseMax);
        });
        services.TryAddSingleton<SettlementPlanner>();

        // No resilience handler: one HTTP request is exactly one recorded attempt. The handler is
        // never recycled (the dispatcher is a singleton); PooledConnectionLifetime picks up DNS changes.
        services.AddHttpClient<PostSender>(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                UseProxy = false, // a proxy would open the connection for us, past the target guard
                AutomaticDecompression = System.Net.DecompressionMethods.None,
                ConnectCallback = sp.GetRequiredService<TargetGuard>().ConnectAsync,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                MaxConnectionsPerServer = int.MaxValue,
                ConnectTimeout = sp.GetRequiredService<IOptions<DeliveryOptions>>().Value.AttemptTimeout,
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers(); // the factory's loggers would log every URL, query string included; PostSender logs masked ones

        services.TryAddTransient<ServiceTester>();
        services.AddHostedService<DeliveryDispatcher>();
        services.AddHostedService<DeliveryPruner>();
        return services;
    }
}
