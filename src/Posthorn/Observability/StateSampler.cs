using Microsoft.Extensions.Options;
using Posthorn.Core.Deliveries;
using Posthorn.Core.PostServices;
using Posthorn.Core.Repositories;

namespace Posthorn.Observability;

/// <summary>Refreshes <see cref="StateSample"/> every <see cref="MetricsOptions.SampleInterval"/> (default 15 s).</summary>
public sealed partial class StateSampler(
    StateSample sample, IRepositoryStore repositories, IPostServiceStore services, IDeliveryStore deliveries,
    IOptions<MetricsOptions> options, TimeProvider time, ILogger<StateSampler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SampleInterval, time);
        do
        {
            try
            {
                await sample.RefreshAsync(repositories, services, deliveries, time.GetUtcNow(), stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogRefreshFailed(logger, ex); // the gauges keep the last sample; the next tick tries again
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sampling the delivery queue for /metrics failed")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
