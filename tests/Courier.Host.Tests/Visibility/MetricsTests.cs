using System.Globalization;

namespace Courier.Host.Tests.Visibility;

/// <summary><c>GET /metrics</c>: the <c>Courier</c> meter as Prometheus text, counting real deliveries.</summary>
public sealed class MetricsTests : DeliveryScenarioTests
{
    [Fact]
    public async Task Metrics_count_updates_deliveries_and_pulls_and_time_the_last_success_of_each_source()
    {
        await using var host = await Setup.StartHostAsync();
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await DeliveryScenario.PostAsync(host, "/update_all");
        await DeliveryScenario.PostAsync(host, "/update_from_hermes_directory", """{"subdirectory": "good"}""");

        var scrape = await host.Client.GetStringAsync("/metrics");

        Assert.Equal(1, Value(scrape, "courier_updates_total", "trigger=\"all\"", "outcome=\"failed\""));
        Assert.Equal(1, Value(scrape, "courier_updates_total", "trigger=\"hermes-directory\"", "outcome=\"succeeded\""));
        Assert.Equal(2, Value(scrape, "courier_deliveries_total", "destination_type=\"ssh\"", "outcome=\"succeeded\""));
        Assert.Equal(1, Value(scrape, "courier_deliveries_total", "destination_type=\"ssh\"", "outcome=\"failed\""));
        Assert.Equal(3, Value(scrape, "courier_delivery_duration_seconds_count", "destination_type=\"ssh\""));
        Assert.Equal(2, Value(scrape, "courier_delivery_bytes_count", "destination_type=\"ssh\""));
        Assert.True(Value(scrape, "courier_delivery_bytes_sum", "destination_type=\"ssh\"") > 0, scrape);
        Assert.Equal(3, Value(scrape, "courier_pulls_total", "source_type=\"hermes-directory\""));
        Assert.DoesNotContain("courier_pull_failures_total{", scrape, StringComparison.Ordinal);
        var lastSuccess = Value(scrape, "courier_source_last_success_seconds", "source=\"hermes-directory:good\"");
        Assert.InRange(lastSuccess, before, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        Assert.DoesNotContain("source=\"hermes-directory:bad\"", scrape, StringComparison.Ordinal);
        // The host's own instrument is on the engine's meter too.
        Assert.Matches(@"(?m)^courier_queue_length(\{[^}]*\})? \d", scrape);
    }

    /// <summary>The value of the one sample of <paramref name="metric"/> with all these labels.</summary>
    private static double Value(string scrape, string metric, params string[] labels)
    {
        var samples = scrape.Split('\n')
            .Where(line => line.StartsWith(metric + "{", StringComparison.Ordinal) && labels.All(label => line.Contains(label, StringComparison.Ordinal)))
            .ToList();
        Assert.True(samples.Count == 1, $"expected one sample of {metric} with {string.Join(", ", labels)} in:\n{scrape}");
        var value = samples[0][(samples[0].LastIndexOf('}') + 1)..].Trim().Split(' ')[0];
        return double.Parse(value, CultureInfo.InvariantCulture);
    }
}
