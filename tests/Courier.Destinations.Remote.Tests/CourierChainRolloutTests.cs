using System.Net;
using System.Text.Json;
using Courier.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Courier.Destinations.Remote.Tests;

/// <summary>
/// Courier's own chain, rolled out: an office Courier delivers in waves <c>[1, "100%"]</c> to two production Couriers
/// (each on its own loopback address, each forwarding to an Armada agent of its own), atomically, behind an HTTP
/// health gate. The first production Courier is the canary.
/// </summary>
public sealed class CourierChainRolloutTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = TempDirectory.Create("courier-chain-rollout");
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly List<Datacenter> _production = [];
    private readonly HashSet<string> _failingHosts = [];
    private CourierSite _office = null!;
    private TestWebServer _health = null!;

    private sealed record Datacenter(CourierSite Site, string AgentPath);

    public async Task InitializeAsync()
    {
        var fleetKey = await SshKeyPair.GenerateAsync(_temp.Combine("keys"), "fleet");
        _health = await TestWebServer.StartAsync(app => app.MapGet("/health/{host}", (string host) => IsFailing(host) ? Results.StatusCode(500) : Results.Ok("ok")));
        _office = await CourierSite.CreateAsync(new CourierSiteOptions { Name = "office", FleetKey = fleetKey });
        foreach (var address in new[] { "127.0.0.41", "127.0.0.42" })
        {
            var site = await CourierSite.CreateAsync(new CourierSiteOptions { Name = $"production-{address}", FleetKey = fleetKey, Address = address });
            var armada = await ArmadaApiEmulator.StartAsync();
            var ship = await SshServer.StartAsync(new SshServerOptions { ExtraAuthorizedKeys = [fleetKey.PublicKey] });
            _owned.Add(site);
            _owned.Add(armada);
            _owned.Add(ship);
            var agentPath = _temp.Combine("agents", address);
            Directory.CreateDirectory(agentPath);
            await armada.AddAgentAsync(new HermesAddress(ship.Endpoint, agentPath));
            site.WriteSources("app.json", """[{"type": "hermes-directory", "subdirectory": "app-config", "destinations": ["armada"]}]""");
            site.WriteDestinations($$$"""{"armada": {"type": "armada-local", "armada_api": "{{{armada.BaseUrl}}}"}}""");
            await site.StartHostAsync();
            _production.Add(new Datacenter(site, agentPath));
        }

        var rollout = $$$"""{"waves": [1, "100%"], "max_failures": 0, "health": {"http": "{{{_health.BaseUrl}}}/health/{host}", "expect": 200, "timeout": "00:00:02", "attempts": 1}}""";
        _office.WriteHermesFile("app-config/app.conf", "v1");
        _office.WriteSources("app.json", $$"""[{"type": "hermes-directory", "subdirectory": "app-config", "destinations": ["courier@a", "courier@b"], "rollout": {{rollout}}}]""");
        _office.WriteDestinations(string.Concat(
            "{",
            string.Join(", ", _production.Select((dc, i) => $$$"""
                "courier@{{{(char)('a' + i)}}}": {"type": "courier-remote", "address": "{{{dc.Site.Host!.Address}}}", "publish": "atomic",
                  "ssh": {"user": "{{{dc.Site.Sshd.User}}}", "key": "keys/courier.key", "sudo": false}}
                """)),
            "}"));
    }

    public async Task DisposeAsync()
    {
        await _office.DisposeAsync();
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }

        await _health.DisposeAsync();
        _temp.Dispose();
    }

    private bool IsFailing(string host)
    {
        lock (_failingHosts)
        {
            return _failingHosts.Contains(host);
        }
    }

    private static string? Read(string directory, string relative) =>
        File.Exists(Path.Combine(directory, relative)) ? File.ReadAllText(Path.Combine(directory, relative)) : null;

    private static JsonElement RolloutOf(string json) => JsonDocument.Parse(json).RootElement.GetProperty("sources")[0].GetProperty("rollout");

    [Fact]
    public async Task A_failing_canary_Courier_is_rolled_back_with_its_agents_and_the_other_Courier_never_gets_the_revision()
    {
        var office = await _office.StartHostAsync();
        var (status, json) = await office.PostAsync("/update_all", acceptJson: true);
        Assert.True(status == HttpStatusCode.OK, json);
        var first = RolloutOf(json);
        Assert.Equal("completed", first.GetProperty("outcome").GetString());
        Assert.Equal(
            [[$"courier {_production[0].Site.Host!.Address}"], [$"courier {_production[1].Site.Host!.Address}"]],
            first.GetProperty("waves").EnumerateArray().Select(w => w.GetProperty("targets").EnumerateArray().Select(t => t.GetString()!).ToList()).ToList());
        Assert.All(_production, dc => Assert.Equal("v1", Read(dc.AgentPath, "app-config/app.conf")));
        var canary = _production[0];
        var canaryRelease = new FileInfo(Path.Combine(canary.Site.HermesDirectory, "app-config")).LinkTarget;

        lock (_failingHosts)
        {
            _failingHosts.Add("127.0.0.41");
        }

        _office.WriteHermesFile("app-config/app.conf", "v2 breaks the service");
        (status, json) = await office.PostAsync("/update_all", acceptJson: true);

        Assert.True(status == HttpStatusCode.InternalServerError, json);
        var rollout = RolloutOf(json);
        Assert.Equal("stopped", rollout.GetProperty("outcome").GetString());
        Assert.Equal(1, rollout.GetProperty("stopped_at_wave").GetInt32());
        Assert.Contains("health: GET ", rollout.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var rolledBack = Assert.Single(rollout.GetProperty("rolled_back").EnumerateArray());
        Assert.Equal($"courier {canary.Site.Host!.Address}", rolledBack.GetProperty("target").GetString());
        Assert.True(rolledBack.GetProperty("succeeded").GetBoolean(), rolledBack.ToString());
        // The canary took v2 (its push and its /update_all succeeded) before the gate failed, then went back.
        var source = JsonDocument.Parse(json).RootElement.GetProperty("sources")[0];
        var canaryDeliveries = source.GetProperty("destinations").EnumerateArray().Single(d => d.GetProperty("alias").GetString() == "courier@a").GetProperty("deliveries").EnumerateArray().ToList();
        Assert.Contains(canaryDeliveries, d => d.GetProperty("succeeded").GetBoolean() && d.GetProperty("revision").GetString() == source.GetProperty("revision").GetString());
        Assert.Contains(canaryDeliveries, d => d.TryGetProperty("note", out var note) && note.ValueKind == JsonValueKind.String && note.GetString()!.StartsWith("rolled back to ", StringComparison.Ordinal));
        Assert.DoesNotContain(source.GetProperty("destinations").EnumerateArray(), d => d.GetProperty("alias").GetString() == "courier@b" && d.GetProperty("deliveries").GetArrayLength() > 0);
        // The canary Courier's hermes directory is back on its release, and its own agent got v1 again (its /update_all after the switch back).
        Assert.Equal(canaryRelease, new FileInfo(Path.Combine(canary.Site.HermesDirectory, "app-config")).LinkTarget);
        Assert.Equal("v1", canary.Site.ReadHermesFile("app-config/app.conf"));
        Assert.Equal("v1", Read(canary.AgentPath, "app-config/app.conf"));
        // The second Courier and its agent never received v2.
        Assert.Equal("v1", _production[1].Site.ReadHermesFile("app-config/app.conf"));
        Assert.Equal("v1", Read(_production[1].AgentPath, "app-config/app.conf"));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/status");
        request.Headers.Accept.Add(new System.Net.Http.Headers.MediaTypeWithQualityHeaderValue("application/json"));
        using var answer = await office.Client.SendAsync(request);
        Assert.StartsWith("rollout of ", JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.GetProperty("sources")[0].GetProperty("held").GetProperty("reason").GetString(), StringComparison.Ordinal);
    }
}
