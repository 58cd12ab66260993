using Courier.Core.Diagnostics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Courier.Host.Diagnostics;

/// <summary>
/// Exports the whole <c>Courier</c> meter (Core's instruments and any other class's on that meter) as Prometheus
/// text at <c>GET /metrics</c>, and metrics and the <c>Courier</c> activities over OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. No other instrumentation: the host stays lean.
/// </summary>
internal static class HostTelemetry
{
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static WebApplicationBuilder AddCourierTelemetry(this WebApplicationBuilder builder)
    {
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable]);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("courier"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(CourierTelemetry.Name).AddPrometheusExporter();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        if (otlp)
        {
            // Only Courier's own activities are traced; the ASP.NET Core request around an update is not, so a
            // parent-based sampler would drop every update started by an HTTP call.
            telemetry.WithTracing(tracing => tracing.AddSource(CourierTelemetry.Name).SetSampler(new AlwaysOnSampler()).AddOtlpExporter());
        }

        return builder;
    }

    public static IEndpointRouteBuilder MapCourierMetrics(this IEndpointRouteBuilder app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
