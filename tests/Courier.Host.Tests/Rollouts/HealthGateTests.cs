using System.Net;
using System.Text.Json;
using Courier.Host.Tests.Visibility;
using Courier.Testing;

namespace Courier.Host.Tests.Rollouts;

/// <summary>
/// The two health gates besides <c>"http"</c>, end to end on three real sshd targets in waves <c>[1, "100%"]</c>: a
/// <c>"command"</c> run on each target over ssh, and an Armada agent's status from the Armada API.
/// </summary>
public sealed class HealthGateTests : IAsyncLifetime
{
    private RolloutFleet _fleet = null!;

    public async Task InitializeAsync() => _fleet = await RolloutFleet.StartAsync(count: 3);

    public async Task DisposeAsync() => await _fleet.DisposeAsync();

    [Fact]
    public async Task A_command_run_on_each_target_over_ssh_gates_its_wave_and_a_failing_one_sends_the_canary_back()
    {
        // The command reads the target's own live file: its sshd's address (SSH_CONNECTION's third word) names its folder.
        var check = JsonSerializer.Serialize(new[] { "sh", "-c", "grep -q healthy \"$0/$(echo $SSH_CONNECTION | cut -d' ' -f3)/app/app.conf\"", _fleet.Setup.Root.Combine("targets") });
        _fleet.Configure($$$"""{"waves": [1, "100%"], "max_failures": 0, "health": {"command": {{{check}}}, "timeout": "00:00:10"}}""");
        _fleet.Setup.WriteHermesFile("app/app.conf", "healthy v1");
        await using var host = await _fleet.Setup.StartHostAsync();

        var (status, _, report) = await DeliveryScenario.PostAsync(host, "/update_all");
        Assert.True(status == HttpStatusCode.OK, report.ToString());
        Assert.Equal("completed", RolloutFleet.Rollout(report).GetProperty("outcome").GetString());
        Assert.All(_fleet.Targets, target => Assert.Equal("healthy v1", _fleet.Read(target, "app/app.conf")));
        var canary = _fleet.InRolloutOrder[0];
        var good = _fleet.LiveRelease(canary);

        _fleet.Setup.WriteHermesFile("app/app.conf", "broken v2");
        (status, _, report) = await DeliveryScenario.PostAsync(host, "/update_all");

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        var rollout = RolloutFleet.Rollout(report);
        Assert.Equal("stopped", rollout.GetProperty("outcome").GetString());
        Assert.Equal(1, rollout.GetProperty("stopped_at_wave").GetInt32());
        Assert.Contains("health: sh -c grep -q healthy", rollout.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("exited 1", rollout.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.True(Assert.Single(rollout.GetProperty("rolled_back").EnumerateArray()).GetProperty("succeeded").GetBoolean());
        Assert.Equal(good, _fleet.LiveRelease(canary));
        Assert.All(_fleet.Targets, target => Assert.Equal("healthy v1", _fleet.Read(target, "app/app.conf")));
    }

    [Fact]
    public async Task An_armada_agent_reported_critical_after_its_delivery_fails_the_gate_and_is_switched_back()
    {
        await using var armada = await ArmadaApiEmulator.StartAsync();
        var agents = new List<string>();
        foreach (var target in _fleet.Targets)
        {
            agents.Add(await armada.AddAgentAsync(new HermesAddress(target.Endpoint, _fleet.PathOf(target))));
        }

        // No "health" in the rollout: the agent's status is the gate of every armada-local target.
        _fleet.Setup.WriteSources("app.json", """[{"type": "hermes-directory", "subdirectory": "app", "destinations": ["armada"], "rollout": {"waves": [1, "100%"], "max_failures": 0}}]""");
        _fleet.Setup.WriteDestinations($$$"""{"armada": {"type": "armada-local", "armada_api": "{{{armada.BaseUrl}}}", "publish": "atomic"}}""");
        _fleet.Setup.WriteHermesFile("app/app.conf", "v1");
        await using var host = await _fleet.Setup.StartHostAsync();
        var (status, _, report) = await DeliveryScenario.PostAsync(host, "/update_all");
        Assert.True(status == HttpStatusCode.OK, report.ToString());
        var waves = RolloutFleet.Rollout(report).GetProperty("waves").EnumerateArray().Select(w => w.GetProperty("targets").EnumerateArray().Select(t => t.GetString()!).ToList()).ToList();
        Assert.Equal([1, 2], waves.Select(w => w.Count));
        var canaryAgent = agents.Single(agent => waves[0][0] == $"armada agent {agent}");
        var canary = _fleet.Targets[agents.IndexOf(canaryAgent)];
        var good = _fleet.LiveRelease(canary);

        armada.ReportAfterNextDelivery(canaryAgent, "critical");
        _fleet.Setup.WriteHermesFile("app/app.conf", "v2 breaks the service");
        (status, _, report) = await DeliveryScenario.PostAsync(host, "/update_all");

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        var rollout = RolloutFleet.Rollout(report);
        Assert.Equal("stopped", rollout.GetProperty("outcome").GetString());
        Assert.Contains($"health: the Armada API reports agent {canaryAgent} critical", rollout.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var rolledBack = Assert.Single(rollout.GetProperty("rolled_back").EnumerateArray());
        Assert.True(rolledBack.GetProperty("succeeded").GetBoolean(), rolledBack.ToString());
        Assert.Equal(good, _fleet.LiveRelease(canary));
        Assert.All(_fleet.Targets, target => Assert.Equal("v1", _fleet.Read(target, "app/app.conf")));
    }
}
