using System.Diagnostics.Metrics;
using Posthorn.Core.Deliveries;
using Posthorn.Core.PostServices;
using Posthorn.Core.Repositories;
using Posthorn.Web.Api;

namespace Posthorn.Observability;

/// <summary>
/// The queue and the services as of the last look: counting them on every scrape would put the
/// database on the scraper's schedule, so <see cref="StateSampler"/> refreshes this every few seconds
/// and the gauges read it. Thread-safe: the whole sample is swapped at once.
/// </summary>
public sealed class StateSample
{
    private static readonly string[] States = ["healthy", "failing", "paused", "disabled", "inactive"];

    private volatile Snapshot current = new(0, new Dictionary<string, int>());

    public long Pending => current.Pending;

    public IEnumerable<Measurement<int>> ServicesByState()
    {
        var byState = current.ByState;
        return States.Select(s => new Measurement<int>(byState.GetValueOrDefault(s), new KeyValuePair<string, object?>("state", s)));
    }

    public async Task RefreshAsync(IRepositoryStore repositories, IPostServiceStore services, IDeliveryStore deliveries, DateTimeOffset now, CancellationToken ct)
    {
        var byState = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var repository in await repositories.ListRepositoriesAsync(ct))
        {
            foreach (var service in await services.ListServicesAsync(repository.Id, ct))
            {
                var state = ServiceView.StateOf(service, now);
                byState[state] = byState.GetValueOrDefault(state) + 1;
            }
        }

        // One count of the queue: listing each service's pending rows read up to the whole backlog every sample.
        current = new Snapshot(await deliveries.CountPendingAsync(ct), byState);
    }

    private sealed record Snapshot(long Pending, IReadOnlyDictionary<string, int> ByState);
}
