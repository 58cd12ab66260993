using System.Globalization;
using System.Net;
using System.Text.Json;
using Courier.Testing;

namespace Courier.Host.Tests.Visibility;

/// <summary>
/// The ledger through the host: an atomic <c>ssh</c> destination's revision in the report, <c>/status</c>,
/// the status page and <c>/metrics</c>, and a second trigger of the same revision transferring nothing; an agent's
/// <c>/update_hermes</c> to an atomic target publishing a release too, and in place refused at a release link.
/// </summary>
public sealed class TargetRevisionTests : IAsyncLifetime
{
    private HermesSetup _setup = null!;

    public async Task InitializeAsync()
    {
        _setup = await HermesSetup.CreateAsync();
        _setup.WriteHermesFile("app/app.conf", "v1");
        _setup.WriteSources("app.json", """[{"type": "hermes-directory", "subdirectory": "app", "destinations": ["target"]}]""");
        var atomic = _setup.SshDestination().Replace("{\"type\": \"ssh\",", "{\"type\": \"ssh\", \"publish\": \"atomic\",", StringComparison.Ordinal);
        _setup.WriteDestinations($$"""{"target": {{atomic}}}""");
    }

    public async Task DisposeAsync() => await _setup.DisposeAsync();

    [Fact]
    public async Task Each_target_s_revision_shows_everywhere_and_an_unchanged_revision_is_not_transferred_again()
    {
        await using var host = await _setup.StartHostAsync();
        var first = (await DeliveryScenario.PostAsync(host, "/update_all")).Report;
        var revision = DeliveryScenario.Source(first, "app").GetProperty("revision").GetString()!;
        var delivered = Delivery(first);
        Assert.Equal(revision, delivered.GetProperty("revision").GetString());
        Assert.False(delivered.GetProperty("unchanged").GetBoolean());
        Assert.StartsWith(".courier/releases/app/", new FileInfo(Path.Combine(_setup.TargetDirectory, "app")).LinkTarget, StringComparison.Ordinal);

        var second = Delivery((await DeliveryScenario.PostAsync(host, "/update_all")).Report);

        Assert.True(second.GetProperty("unchanged").GetBoolean(), second.ToString());
        Assert.Equal(0, second.GetProperty("bytes_sent").GetInt64());

        var target = Assert.Single(Assert.Single((await DeliveryScenario.GetJsonAsync(host, "/status")).GetProperty("sources").EnumerateArray()).GetProperty("targets").EnumerateArray());
        Assert.Equal(revision, target.GetProperty("revision").GetString());
        var since = target.GetProperty("revision_since").GetDateTimeOffset();
        Assert.Equal(delivered.GetProperty("revision_since").GetDateTimeOffset(), since);

        var page = await host.Client.GetStringAsync("/status");
        Assert.Contains(revision[..7], page, StringComparison.Ordinal);

        var scrape = await host.Client.GetStringAsync("/metrics");
        Assert.Single(scrape.Split('\n'), line => line.StartsWith("courier_deliveries_total{", StringComparison.Ordinal) && line.Contains("outcome=\"unchanged\"", StringComparison.Ordinal) && line.EndsWith(" 1", StringComparison.Ordinal));
        var sample = Assert.Single(scrape.Split('\n'), line => line.StartsWith("courier_target_revision_seconds{", StringComparison.Ordinal));
        Assert.Contains($"revision=\"{revision}\"", sample, StringComparison.Ordinal);
        Assert.Equal(since.ToUnixTimeSeconds(), long.Parse(sample[(sample.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task An_agent_s_update_hermes_switches_an_atomic_target_to_a_new_release_and_in_place_never_writes_through_its_link()
    {
        await using var host = await _setup.StartHostAsync();
        Assert.Equal(HttpStatusCode.OK, (await DeliveryScenario.PostAsync(host, "/update_all")).Status);
        var live = new FileInfo(Path.Combine(_setup.TargetDirectory, "app"));
        var first = live.LinkTarget!;
        var agent = $$"""{"ssh": "{{_setup.Target.Endpoint}}", "path": "{{_setup.TargetDirectory}}"}""";
        _setup.WriteHermesFile("app/app.conf", "v2");

        var (status, _, report) = await DeliveryScenario.PostAsync(host, "/update_hermes", agent);

        Assert.Equal(HttpStatusCode.OK, status);
        var second = new FileInfo(live.FullName).LinkTarget!;
        Assert.NotEqual(first, second);
        Assert.StartsWith(".courier/releases/app/", second, StringComparison.Ordinal);
        Assert.Equal("v2", _setup.ReadTarget("app/app.conf"));
        Assert.Equal("v1", File.ReadAllText(Path.Combine(_setup.TargetDirectory, first, "app.conf")));
        Assert.Equal(DeliveryScenario.Source(report, "app").GetProperty("revision").GetString(), Delivery(report).GetProperty("revision").GetString());

        // Configured in place now, the agent's next start must not write v3 into the live release v2 names.
        _setup.WriteDestinations($$"""{"target": {{_setup.SshDestination()}}}""");
        _setup.WriteHermesFile("app/app.conf", "v3");

        var (refusedStatus, _, refused) = await DeliveryScenario.PostAsync(host, "/update_hermes", agent);

        Assert.Equal(HttpStatusCode.InternalServerError, refusedStatus);
        Assert.Contains("is published atomically", Delivery(refused).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(second, new FileInfo(live.FullName).LinkTarget);
        Assert.Equal("v2", _setup.ReadTarget("app/app.conf"));
    }

    private static JsonElement Delivery(JsonElement report) =>
        Assert.Single(Assert.Single(DeliveryScenario.Source(report, "app").GetProperty("destinations").EnumerateArray()).GetProperty("deliveries").EnumerateArray());
}
