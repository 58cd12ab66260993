using System.Net;
using System.Text.Json;
using Courier.Host.Tests.Visibility;
using Xunit.Abstractions;

namespace Courier.Host.Tests.Rollouts;

/// <summary>A source rolled out in waves <c>[1, "50%", "100%"]</c> to ten real sshd targets, with an HTTP health gate.</summary>
public sealed class RolloutTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Waves = """{"waves": [1, "50%", "100%"], "max_failures": 0, "pause": "00:00:01", "health": {"http": "HEALTH", "expect": 200, "timeout": "00:00:02", "attempts": 1}}""";
    private RolloutFleet _fleet = null!;

    public async Task InitializeAsync()
    {
        _fleet = await RolloutFleet.StartAsync();
        _fleet.Configure(Waves.Replace("HEALTH", _fleet.HealthUrl, StringComparison.Ordinal));
        _fleet.Setup.WriteHermesFile("app/app.conf", "v1");
    }

    public async Task DisposeAsync() => await _fleet.DisposeAsync();

    [Fact]
    public async Task With_health_passing_every_target_gets_the_revision_in_three_waves_in_order()
    {
        await using var host = await _fleet.Setup.StartHostAsync();

        var (status, _, report) = await DeliveryScenario.PostAsync(host, "/update_all");

        Assert.True(status == HttpStatusCode.OK, report.ToString());
        var rollout = RolloutFleet.Rollout(report);
        Assert.Equal("completed", rollout.GetProperty("outcome").GetString());
        output.WriteLine($"3-wave rollout to 10 targets (pause 1 s): {report.GetProperty("duration").GetString()}; waves {string.Join(", ", rollout.GetProperty("waves").EnumerateArray().Select(w => w.GetProperty("duration").GetString()))}");
        var waves = rollout.GetProperty("waves").EnumerateArray().Select(w => w.GetProperty("targets").EnumerateArray().Select(t => t.GetString()!).ToList()).ToList();
        Assert.Equal([1, 4, 5], waves.Select(w => w.Count));
        var order = _fleet.InRolloutOrder;
        Assert.Equal(order.Select(t => $"{t.Endpoint}:{_fleet.PathOf(t)}"), waves.SelectMany(w => w));
        Assert.All(_fleet.Targets, target => Assert.Equal("v1", _fleet.Read(target, "app/app.conf")));

        // Each wave's releases were all made before the next wave's (a second's pause between them).
        var made = order.Select(t => Directory.GetLastWriteTimeUtc(Path.Combine(_fleet.PathOf(t), _fleet.LiveRelease(t)!))).ToList();
        Assert.True(made[0] < made.Skip(1).Min(), "the canary's release was not made first");
        Assert.True(made.Skip(1).Take(4).Max() < made.Skip(5).Min(), "the second wave's releases were not all made before the third's");
    }

    [Fact]
    public async Task A_canary_failing_its_health_gate_stops_the_rollout_and_goes_back_to_its_previous_release()
    {
        await using var host = await _fleet.Setup.StartHostAsync();
        Assert.Equal("completed", RolloutFleet.Rollout((await DeliveryScenario.PostAsync(host, "/update_all")).Report).GetProperty("outcome").GetString());
        var canary = _fleet.InRolloutOrder[0];
        var good = _fleet.LiveRelease(canary);
        _fleet.Fail(canary);
        _fleet.Setup.WriteHermesFile("app/app.conf", "v2 breaks the service");

        var (status, _, report) = await DeliveryScenario.PostAsync(host, "/update_all");

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        var rollout = RolloutFleet.Rollout(report);
        output.WriteLine($"stopped at the canary and rolled back: {report.GetProperty("duration").GetString()}");
        Assert.Equal("stopped", rollout.GetProperty("outcome").GetString());
        Assert.Equal(1, rollout.GetProperty("stopped_at_wave").GetInt32());
        Assert.Contains($"health: GET {_fleet.HealthUrl.Replace("{host}", canary.Host, StringComparison.Ordinal)} answered 500", rollout.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var rolledBack = Assert.Single(rollout.GetProperty("rolled_back").EnumerateArray());
        Assert.True(rolledBack.GetProperty("succeeded").GetBoolean(), rolledBack.ToString());
        Assert.Equal(good, _fleet.LiveRelease(canary));
        Assert.Equal("v1", _fleet.Read(canary, "app/app.conf"));
        Assert.All(_fleet.InRolloutOrder.Skip(1), target => Assert.Equal("v1", _fleet.Read(target, "app/app.conf")));

        var source = Assert.Single((await DeliveryScenario.GetJsonAsync(host, "/status")).GetProperty("sources").EnumerateArray());
        Assert.False(source.GetProperty("ok").GetBoolean());
        Assert.StartsWith("rollout of ", source.GetProperty("held").GetProperty("reason").GetString(), StringComparison.Ordinal);
        var firstRevision = RolloutFleet.Rollout(report).GetProperty("rolled_back_to").GetString();
        Assert.All(source.GetProperty("targets").EnumerateArray(), target => Assert.Equal(firstRevision, target.GetProperty("revision").GetString()));
        var page = await host.Client.GetStringAsync("/status");
        Assert.Contains("<strong>rollout stopped</strong> after wave 1 of 1 (1 failed); 1 of 1 switched targets rolled back to", page, StringComparison.Ordinal);
        var details = page.IndexOf("<details", StringComparison.Ordinal);
        Assert.InRange(page.IndexOf(canary.Endpoint, StringComparison.Ordinal), 0, details);

        var history = await DeliveryScenario.GetJsonAsync(host, "/reports?limit=1");
        Assert.Equal("stopped", history.GetProperty("reports")[0].GetProperty("sources")[0].GetProperty("rollout").GetProperty("outcome").GetString());

        var scrape = await host.Client.GetStringAsync("/metrics");
        Assert.Single(scrape.Split('\n'), line => line.StartsWith("courier_rollouts_total{", StringComparison.Ordinal) && line.Contains("outcome=\"stopped\"", StringComparison.Ordinal) && line.EndsWith(" 1", StringComparison.Ordinal));
        Assert.Single(scrape.Split('\n'), line => line.StartsWith("courier_rollouts_total{", StringComparison.Ordinal) && line.Contains("outcome=\"completed\"", StringComparison.Ordinal) && line.EndsWith(" 1", StringComparison.Ordinal));

        // Held: the next trigger records the revision and delivers nothing, so the canary stays on its release.
        var next = (await DeliveryScenario.PostAsync(host, "/update_all")).Report;
        Assert.NotEqual(JsonValueKind.Null, next.GetProperty("sources")[0].GetProperty("held").ValueKind);
        Assert.Equal(good, _fleet.LiveRelease(canary));
    }

    [Fact]
    public async Task On_a_source_s_first_rollout_a_failing_canary_goes_back_to_the_release_it_had_by_one_rename()
    {
        // v1 reached every target before the source had a rollout: Courier keeps no revision of it, the targets do.
        _fleet.Setup.WriteSources("app.json", """[{"type": "hermes-directory", "subdirectory": "app", "destinations": ["fleet"]}]""");
        await using var host = await _fleet.Setup.StartHostAsync();
        var (status, _, first) = await DeliveryScenario.PostAsync(host, "/update_all");
        Assert.True(status == HttpStatusCode.OK, first.ToString());
        var canary = _fleet.InRolloutOrder[0];
        var good = _fleet.LiveRelease(canary);
        _fleet.Configure(Waves.Replace("HEALTH", _fleet.HealthUrl, StringComparison.Ordinal));
        _fleet.Fail(canary);
        _fleet.Setup.WriteHermesFile("app/app.conf", "v2 breaks the service");

        var (stoppedStatus, _, report) = await DeliveryScenario.PostAsync(host, "/update_all");

        Assert.Equal(HttpStatusCode.InternalServerError, stoppedStatus);
        var rollout = RolloutFleet.Rollout(report);
        Assert.Equal("stopped", rollout.GetProperty("outcome").GetString());
        var rolledBack = Assert.Single(rollout.GetProperty("rolled_back").EnumerateArray());
        Assert.True(rolledBack.GetProperty("succeeded").GetBoolean(), rolledBack.ToString());
        Assert.Equal(first.GetProperty("sources")[0].GetProperty("revision").GetString(), rollout.GetProperty("rolled_back_to").GetString());
        Assert.Equal(good, _fleet.LiveRelease(canary));
        Assert.All(_fleet.Targets, target => Assert.Equal("v1", _fleet.Read(target, "app/app.conf")));
    }
}
