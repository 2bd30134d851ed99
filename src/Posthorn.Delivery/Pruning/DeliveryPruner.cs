using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Posthorn.Core.Deliveries;

namespace Posthorn.Delivery.Pruning;

/// <summary>
/// Deletes finished deliveries older than Retention every PruneInterval, so the attempt log stays
/// bounded. Pending deliveries are never pruned (the store guarantees it). Errors are logged and the
/// next round tries again. Running it on several nodes is harmless: deletes are idempotent.
/// </summary>
public sealed partial class DeliveryPruner(IDeliveryStore store, TimeProvider time, IOptions<DeliveryOptions> options, ILogger<DeliveryPruner> logger)
    : BackgroundService
{
    private readonly DeliveryOptions settings = options.Value;

    /// <summary>One pruning pass; returns how many deliveries were deleted.</summary>
    public async Task<int> PruneOnceAsync(CancellationToken ct)
    {
        var pruned = await store.PruneAsync(time.GetUtcNow() - settings.Retention, ct).ConfigureAwait(false);
        if (pruned > 0)
        {
            LogPruned(logger, pruned, settings.Retention);
        }

        return pruned;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.PruneInterval, time);
        do
        {
            try
            {
                await PruneOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, ex);
            }
        }
        while (await WaitAsync(timer, stoppingToken).ConfigureAwait(false));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Count} finished deliveries older than {Retention}")]
    private static partial void LogPruned(ILogger logger, int count, TimeSpan retention);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning deliveries failed; trying again next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
