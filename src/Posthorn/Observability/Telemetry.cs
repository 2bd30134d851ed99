using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Posthorn.Core.Pushes;
using Posthorn.Delivery.Observability;
using Posthorn.Storage;

namespace Posthorn.Observability;

/// <summary>
/// Metrics at GET /metrics (Prometheus text format, through OpenTelemetry), and traces to an OTLP
/// collector when OTEL_EXPORTER_OTLP_ENDPOINT is set: git requests (a push and its recording) and
/// each delivery attempt. What every metric means is in docs/operations.md.
/// </summary>
public static class Telemetry
{
    public const string MetricsPath = "/metrics";

    public static IServiceCollection AddPosthornTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MetricsOptions>().Bind(configuration.GetSection(MetricsOptions.SectionName))
            .Validate(o => o.IsValid, "Metrics:SampleInterval must be between 00:00:01 and 01:00:00.").ValidateOnStart();
        services.AddSingleton<StateSample>();
        services.AddSingleton<PosthornMeter>();
        services.AddHostedService<StateSampler>();
        // Registered after the domain's: the last registration of IPushStore is the one resolved.
        services.AddSingleton<IPushStore>(sp => new CountedPushStore(sp.GetRequiredService<StorageHandle>().Pushes, sp.GetRequiredService<PosthornMeter>()));

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("posthorn"))
            .WithMetrics(m => m.AddMeter(PosthornMeter.Name, DeliveryMetrics.Name).AddPrometheusExporter());
        if (!string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            // The endpoint, protocol and headers come from the standard OTEL_EXPORTER_OTLP_* variables.
            telemetry.WithTracing(t => t.AddSource("Microsoft.AspNetCore", DeliveryMetrics.Name).AddOtlpExporter());
        }

        return services;
    }

    /// <summary>Before the rest of the pipeline, so a git request is timed whatever answers it.</summary>
    public static WebApplication UsePosthornTelemetry(this WebApplication app)
    {
        app.UseGitRequestTiming(app.Services.GetRequiredService<PosthornMeter>(), app.Services.GetRequiredService<TimeProvider>());
        return app;
    }

    public static WebApplication MapPosthornMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }
}
