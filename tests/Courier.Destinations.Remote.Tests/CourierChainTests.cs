using System.Net;
using System.Text.Json;
using Courier.Testing;

namespace Courier.Destinations.Remote.Tests;

/// <summary>
/// Two real Courier hosts over real HTTP: an office Courier delivers to a production Courier (directly or through an
/// SSH gateway), which forwards to the Armada agents of its cluster (the Armada API emulated, every sshd real).
/// </summary>
public sealed class CourierChainTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = TempDirectory.Create("courier-chain");
    private readonly List<IAsyncDisposable> _owned = [];
    private SshKeyPair _fleetKey = null!;
    private CourierSite _office = null!;
    private CourierSite _production = null!;
    private ArmadaApiEmulator _armada = null!;
    private readonly List<string> _agentPaths = [];

    public async Task InitializeAsync()
    {
        _fleetKey = await SshKeyPair.GenerateAsync(_temp.Combine("keys"), "fleet");
        _office = await CourierSite.CreateAsync(new CourierSiteOptions { Name = "office", FleetKey = _fleetKey });
        _production = await CourierSite.CreateAsync(new CourierSiteOptions { Name = "production", FleetKey = _fleetKey });
        _armada = await ArmadaApiEmulator.StartAsync();
        for (var i = 0; i < 2; i++)
        {
            await AddAgentAsync();
        }

        _office.WriteHermesFile("app-config/app.conf", "v1");
        _office.WriteSources("app.json", """[{"type": "hermes-directory", "subdirectory": "app-config", "destinations": ["courier@production"]}]""");
        _production.WriteSources("app.json", """[{"type": "hermes-directory", "subdirectory": "app-config", "destinations": ["armada"]}]""");
        _production.WriteDestinations($$$"""{"armada": {"type": "armada-local", "armada_api": "{{{_armada.BaseUrl}}}"}}""");
    }

    public async Task DisposeAsync()
    {
        await _office.DisposeAsync();
        await _production.DisposeAsync();
        await _armada.DisposeAsync();
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }

        _temp.Dispose();
    }

    private async Task<string> AddAgentAsync()
    {
        var ship = await SshServer.StartAsync(new SshServerOptions { ExtraAuthorizedKeys = [_fleetKey.PublicKey] });
        _owned.Add(ship);
        var path = _temp.Combine("agents", $"agent{_agentPaths.Count}");
        Directory.CreateDirectory(path);
        _agentPaths.Add(path);
        await _armada.AddAgentAsync(new HermesAddress(ship.Endpoint, path));
        return path;
    }

    private async Task<SshServer> StartGatewayAsync(bool acceptsTheFleet = true)
    {
        var gateway = await SshServer.StartAsync(new SshServerOptions
        {
            ExtraAuthorizedKeys = acceptsTheFleet ? [_fleetKey.PublicKey] : [],
            ExtraConfigLines = ["LogLevel DEBUG1"],
        });
        _owned.Add(gateway);
        return gateway;
    }

    private static string Tunnel(SshServer gateway) =>
        $$"""{"host": "{{gateway.Host}}", "port": "{{gateway.Port}}", "user": "{{gateway.User}}", "key": "keys/courier.key"}""";

    private void WriteOfficeDestination(string? tunnel = null, string? address = null, string? publish = null) =>
        _office.WriteDestinations($$$"""
            {"courier@production": {"type": "courier-remote", "address": "{{{address ?? _production.Host!.Address}}}",
              {{{(tunnel is null ? "" : $"\"ssh-tunnel\": {tunnel},")}}}
              {{{(publish is null ? "" : $"\"publish\": \"{publish}\",")}}}
              "ssh": {"user": "{{{_production.Sshd.User}}}", "key": "keys/courier.key", "sudo": false}
              }
            }
            """);

    private static async Task AssertNoSshLeftAsync(int port)
    {
        var left = await ProcessProbe.WaitUntilGoneAsync("ExitOnForwardFailure=yes");
        Assert.DoesNotContain(left, p => p.Contains($"-p {port} ", StringComparison.Ordinal));
    }

    private string? ReadAgent(int index, string relative)
    {
        var path = Path.Combine(_agentPaths[index], relative);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }

    [Fact]
    public async Task The_office_delivers_to_production_which_forwards_to_every_agent()
    {
        await _production.StartHostAsync();
        WriteOfficeDestination();
        var office = await _office.StartHostAsync();

        var (status, body) = await office.PostAsync("/update_all");

        Assert.Equal((HttpStatusCode.OK, "ok"), (status, body));
        Assert.Equal("v1", _production.ReadHermesFile("app-config/app.conf"));
        Assert.Equal("v1", ReadAgent(0, "app-config/app.conf"));
        Assert.Equal("v1", ReadAgent(1, "app-config/app.conf"));

        _office.WriteHermesFile("app-config/app.conf", "v2");
        _office.WriteHermesFile("app-config/new.conf", "new");
        Assert.Equal((HttpStatusCode.OK, "ok"), await office.PostAsync("/update_all"));
        Assert.Equal("v2", ReadAgent(1, "app-config/app.conf"));
        Assert.Equal("new", ReadAgent(0, "app-config/new.conf"));
    }

    [Fact]
    public async Task With_atomic_publish_production_s_hermes_directory_switches_a_release_which_it_forwards_without_its_releases()
    {
        await _production.StartHostAsync();
        WriteOfficeDestination(publish: "atomic");
        var office = await _office.StartHostAsync();

        Assert.Equal((HttpStatusCode.OK, "ok"), await office.PostAsync("/update_all"));

        var live = new FileInfo(Path.Combine(_production.HermesDirectory, "app-config"));
        Assert.StartsWith(".courier/releases/app-config/", live.LinkTarget, StringComparison.Ordinal);
        Assert.Equal("v1", ReadAgent(0, "app-config/app.conf"));
        Assert.All(_agentPaths, path => Assert.False(Directory.Exists(Path.Combine(path, ".courier")) || Directory.Exists(Path.Combine(path, "app-config", ".courier"))));

        _office.WriteHermesFile("app-config/app.conf", "v2");
        Assert.Equal((HttpStatusCode.OK, "ok"), await office.PostAsync("/update_all"));
        Assert.Equal("v2", ReadAgent(1, "app-config/app.conf"));
        Assert.Equal("v2", _production.ReadHermesFile("app-config/app.conf"));

        // Nothing changed since: the push finds production holding the revision and transfers nothing.
        var (status, json) = await office.PostAsync("/update_all", acceptJson: true);
        Assert.True(status == HttpStatusCode.OK, json);
        using var report = JsonDocument.Parse(json);
        var push = report.RootElement.GetProperty("sources")[0].GetProperty("destinations")[0].GetProperty("deliveries")[0];
        Assert.True(push.GetProperty("unchanged").GetBoolean(), json);
        Assert.Equal(2, Directory.GetDirectories(Path.Combine(_production.HermesDirectory, ".courier", "releases", "app-config")).Length);
    }

    [Fact]
    public async Task Through_an_ssh_gateway_both_http_and_rsync_go_through_the_tunnel_and_no_ssh_is_left()
    {
        var gateway = await StartGatewayAsync();
        await _production.StartHostAsync();
        WriteOfficeDestination(Tunnel(gateway));
        var office = await _office.StartHostAsync();

        var (status, json) = await office.PostAsync("/update_all", acceptJson: true);

        Assert.True(status == HttpStatusCode.OK, json);
        Assert.Equal("v1", ReadAgent(0, "app-config/app.conf"));
        Assert.Equal("v1", ReadAgent(1, "app-config/app.conf"));
        var productionHttpPort = HermesAddress.SplitEndpoint(_production.Host!.Address).Port;
        Assert.Contains($"target 127.0.0.1 port {productionHttpPort}", gateway.Log, StringComparison.Ordinal);
        Assert.Contains($"target 127.0.0.1 port {_production.Sshd.Port}", gateway.Log, StringComparison.Ordinal);
        Assert.Contains($"via {gateway.User}@{gateway.Host}:{gateway.Port}", json, StringComparison.Ordinal);
        await AssertNoSshLeftAsync(gateway.Port);
    }

    [Fact]
    public async Task A_gateway_that_refuses_the_key_is_an_error_naming_it_and_leaves_nothing_behind()
    {
        var gateway = await StartGatewayAsync(acceptsTheFleet: false);
        await _production.StartHostAsync();
        WriteOfficeDestination(Tunnel(gateway));
        var office = await _office.StartHostAsync();

        var (status, json) = await office.PostAsync("/update_all", acceptJson: true);

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Contains($"gateway {gateway.User}@{gateway.Host}:{gateway.Port}", json, StringComparison.Ordinal);
        Assert.Contains("Permission denied", json, StringComparison.Ordinal);
        Assert.Null(_production.ReadHermesFile("app-config/app.conf"));
        await AssertNoSshLeftAsync(gateway.Port);
    }

    [Fact]
    public async Task A_remote_that_fails_is_reported_with_its_own_errors_and_its_healthy_agents_are_served()
    {
        var deadAgent = $"127.0.0.1:{FreePort.Next()}";
        _armada.AddDeadAgent(deadAgent);
        await _production.StartHostAsync();
        WriteOfficeDestination();
        var office = await _office.StartHostAsync();

        var (status, json) = await office.PostAsync("/update_all", acceptJson: true);

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        using var report = JsonDocument.Parse(json);
        var deliveries = report.RootElement.GetProperty("sources")[0].GetProperty("destinations")[0].GetProperty("deliveries").EnumerateArray().ToList();
        Assert.True(deliveries[0].GetProperty("succeeded").GetBoolean());
        var forward = deliveries[1];
        Assert.False(forward.GetProperty("succeeded").GetBoolean());
        Assert.Contains("/update_all answered 500", forward.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains(deadAgent, forward.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("v1", ReadAgent(0, "app-config/app.conf"));
        Assert.Equal("v1", ReadAgent(1, "app-config/app.conf"));
    }

    [Fact]
    public async Task A_remote_that_does_not_answer_is_an_error_and_nothing_is_pushed()
    {
        await _production.StartHostAsync();
        WriteOfficeDestination(address: $"127.0.0.1:{FreePort.Next()}");
        var office = await _office.StartHostAsync();

        var (status, json) = await office.PostAsync("/update_all", acceptJson: true);

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Contains("could not get the hermes address", json, StringComparison.Ordinal);
        Assert.Null(_production.ReadHermesFile("app-config/app.conf"));
    }
}
