namespace Posthorn.Observability;

/// <summary>Settings of /metrics (section "Metrics", e.g. Metrics__SampleInterval=00:00:30).</summary>
public sealed class MetricsOptions
{
    public const string SectionName = "Metrics";

    /// <summary>How often the queue and service states behind the gauges are counted. Default 15 s; 1 s to 1 h.</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(15);

    public bool IsValid => SampleInterval >= TimeSpan.FromSeconds(1) && SampleInterval <= TimeSpan.FromHours(1);
}
