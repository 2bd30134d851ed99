using System.Diagnostics.Metrics;

namespace Posthorn.Observability;

/// <summary>
/// The server's own instruments (meter "Posthorn"): pushes recorded, git requests, and the state
/// gauges read from <see cref="StateSample"/>. Exported at /metrics by <see cref="Telemetry"/>.
/// </summary>
public sealed class PosthornMeter : IDisposable
{
    public const string Name = "Posthorn";

    private readonly Meter meter = new(Name);

    public PosthornMeter(StateSample sample)
    {
        Pushes = meter.CreateCounter<long>("posthorn.pushes", null, "Pushes recorded (each one queues a delivery per active service)");
        GitRequests = meter.CreateHistogram<double>(
            "posthorn.git.request.duration", "s", "Git smart-HTTP requests by service (info-refs, upload-pack, receive-pack) and status",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300] });
        meter.CreateObservableGauge("posthorn.deliveries.pending", () => sample.Pending, null, "Deliveries queued and not yet finished (due now, waiting for a retry, or held by a paused or disabled service)");
        meter.CreateObservableGauge("posthorn.services", () => sample.ServicesByState(), null, "POST services by state: healthy, failing, paused, disabled, inactive");
    }

    public Counter<long> Pushes { get; }

    public Histogram<double> GitRequests { get; }

    public void Dispose() => meter.Dispose();
}
