using System.Collections.Concurrent;
using System.Text;
using Courier.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Courier.Host.Tests.Visibility;

/// <summary>With <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set, the host sends its metrics and activities over OTLP.</summary>
public sealed class OtlpExportTests : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, string> _received = new();
    private HermesSetup _setup = null!;
    private TestWebServer _collector = null!;

    public async Task InitializeAsync()
    {
        _setup = await HermesSetup.CreateAsync();
        DeliveryScenario.Configure(_setup);
        _collector = await TestWebServer.StartAsync(app =>
        {
            app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
            {
                using var body = new MemoryStream();
                await request.Body.CopyToAsync(body);
                _received.AddOrUpdate(signal, _ => Encoding.Latin1.GetString(body.ToArray()), (_, previous) => previous + Encoding.Latin1.GetString(body.ToArray()));
                return Results.Ok();
            });
        });
    }

    public async Task DisposeAsync()
    {
        await _collector.DisposeAsync();
        await _setup.DisposeAsync();
    }

    [Fact]
    public async Task Activities_of_updates_pulls_and_deliveries_and_the_courier_metrics_reach_an_otlp_collector()
    {
        await using var host = await _setup.StartHostAsync(new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = _collector.BaseUrl,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        });

        await DeliveryScenario.PostAsync(host, "/update_all");

        for (var attempt = 0; attempt < 300 && !(Has("traces", "courier.update") && Has("traces", "courier.pull") && Has("traces", "courier.deliver") && Has("metrics", "courier.deliveries")); attempt++)
        {
            await Task.Delay(100);
        }

        var seen = $"collector saw: {string.Join(", ", _collector.Requests)}; signals {string.Join(", ", _received.Keys)}\n{host.Logs}";
        Assert.True(Has("traces", "courier.update"), "no courier.update span reached the collector; " + seen);
        Assert.True(Has("traces", "courier.pull"), "no courier.pull span reached the collector");
        Assert.True(Has("traces", "courier.deliver"), "no courier.deliver span reached the collector");
        Assert.True(Has("metrics", "courier.deliveries"), "no courier.deliveries metric reached the collector");
    }

    private bool Has(string signal, string text) => _received.TryGetValue(signal, out var body) && body.Contains(text, StringComparison.Ordinal);
}
