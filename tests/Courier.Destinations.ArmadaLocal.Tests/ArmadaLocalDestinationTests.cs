using System.Net;
using System.Text.Json;
using Courier.Core;
using Courier.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Destinations.ArmadaLocal.Tests;

/// <summary>Fan-out to the Armada agents of a cluster: the Armada API emulated, every agent's sshd real.</summary>
public sealed class ArmadaLocalDestinationTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = TempDirectory.Create("courier-armada");
    private readonly List<SshServer> _ships = [];
    private ArmadaApiEmulator _armada = null!;

    private string SnapshotDirectory => _temp.Combine("snapshot");

    private string RunningDirectory => _temp.Combine("running");

    private string CountLog => _temp.Combine("at-once.log");

    private int MostAtOnce => File.ReadAllLines(CountLog).Max(line => int.Parse(line.Trim(), System.Globalization.CultureInfo.InvariantCulture));

    public async Task InitializeAsync()
    {
        _armada = await ArmadaApiEmulator.StartAsync();
        _temp.WriteFile("snapshot/app.conf", "for every agent");
        _temp.WriteFile("snapshot/nested/deep.conf", "deep");
    }

    public async Task DisposeAsync()
    {
        await _armada.DisposeAsync();
        foreach (var ship in _ships)
        {
            await ship.DisposeAsync();
        }

        _temp.Dispose();
    }

    /// <summary>Starts a ship (a real sshd) with an Armada agent whose hermes path is a folder of this test.</summary>
    private async Task<(SshServer Ship, string HermesPath, string AgentAddress)> AddShipAsync(string status = "passing", double? countingSeconds = null)
    {
        // A counting ship marks each rsync session running for a while before rsync starts, and logs how many are marked.
        var counting = countingSeconds is { } seconds
            ? SshServerOptions.RunningFirst(_temp, $$"""
                case "$SSH_ORIGINAL_COMMAND" in
                  *"rsync --server"*)
                    mkdir -p '{{RunningDirectory}}'; touch '{{RunningDirectory}}'/$$
                    ls '{{RunningDirectory}}' | wc -l >> '{{CountLog}}'
                    sleep {{seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}}; rm -f '{{RunningDirectory}}'/$$ ;;
                esac
                """).ExtraConfigLines
            : [];
        var ship = await SshServer.StartAsync(new SshServerOptions { ExtraAuthorizedKeys = _ships.Count == 0 ? [] : [_ships[0].ClientKey.PublicKey], ExtraConfigLines = counting });
        _ships.Add(ship);
        var hermesPath = _temp.Combine("ships", $"ship{_ships.Count}", "etc-opt");
        Directory.CreateDirectory(hermesPath);
        var agent = await _armada.AddAgentAsync(new HermesAddress(ship.Endpoint, hermesPath), status);
        return (ship, hermesPath, agent);
    }

    private IDestination Create(string json, Action<CourierOptions>? configure = null)
    {
        var provider = new ServiceCollection()
            .AddCourier(o =>
            {
                o.StateDirectory = _temp.Combine("state");
                o.Ssh.StrictHostKeyChecking = "accept-new";
                configure?.Invoke(o);
            })
            .AddArmadaLocalDestination()
            .Services.BuildServiceProvider();
        var factory = provider.GetServices<IDestinationFactory>().Single(f => f.Type == "armada-local");
        var file = _temp.WriteFile("config/destinations.json", $$"""{"armada": {{json}}}""");
        var login = new SshLogin(Environment.UserName, _ships[0].ClientKey.PrivateKeyPath, Sudo: false);
        return factory.Create(new DestinationDefinition("armada", JsonDocument.Parse(json).RootElement.Clone(), file, login));
    }

    private Task<IReadOnlyList<DeliveryResult>> DeliverAsync(IDestination destination) =>
        destination.DeliverAsync(new Snapshot("test", SnapshotDirectory, "app-config", "r1"), CancellationToken.None);

    private static string? Read(string hermesPath, string relative) =>
        File.Exists(Path.Combine(hermesPath, relative)) ? File.ReadAllText(Path.Combine(hermesPath, relative)) : null;

    [Fact]
    public async Task Every_passing_or_warning_agent_receives_the_snapshot_and_a_critical_one_is_reported_as_a_failure_untouched()
    {
        var passing = await AddShipAsync("passing");
        var warning = await AddShipAsync("warning");
        var critical = await AddShipAsync("critical");

        var results = await DeliverAsync(Create($$"""{"type": "armada-local", "armada_api": "{{_armada.BaseUrl}}"}"""));

        Assert.Equal(3, results.Count);
        Assert.Equal(2, results.Count(r => r.Succeeded));
        var skipped = Assert.Single(results, r => !r.Succeeded);
        Assert.Equal($"armada agent {critical.AgentAddress}", skipped.Target);
        Assert.Equal("not pushed to: status critical", skipped.Error);
        Assert.Equal("for every agent", Read(passing.HermesPath, "app-config/app.conf"));
        Assert.Equal("deep", Read(warning.HermesPath, "app-config/nested/deep.conf"));
        Assert.Null(Read(critical.HermesPath, "app-config/app.conf"));
        Assert.Contains("GET /list?microservice_name=armada", _armada.Requests);
        Assert.Equal(2, _armada.Requests.Count(r => r == "GET /hermes_address"));
    }

    [Fact]
    public async Task A_dry_run_lists_what_every_agent_would_get_and_changes_no_ship()
    {
        var first = await AddShipAsync();
        var second = await AddShipAsync();
        Directory.CreateDirectory(Path.Combine(second.HermesPath, "app-config"));
        File.WriteAllText(Path.Combine(second.HermesPath, "app-config", "app.conf"), "old");
        File.WriteAllText(Path.Combine(second.HermesPath, "app-config", "stale.conf"), "stale");
        var destination = Create($$"""{"type": "armada-local", "armada_api": "{{_armada.BaseUrl}}"}""");

        var results = await destination.DeliverAsync(new Snapshot("test", SnapshotDirectory, "app-config", "r1"), new DeliveryOptions { DryRun = true }, CancellationToken.None);

        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.True(r.Succeeded, r.Error));
        var toFirst = Assert.Single(results, r => r.Target.Contains(first.AgentAddress, StringComparison.Ordinal));
        Assert.Equal(["app.conf", "nested/deep.conf"], toFirst.Changes!.Created.Order(StringComparer.Ordinal));
        var toSecond = Assert.Single(results, r => r.Target.Contains(second.AgentAddress, StringComparison.Ordinal));
        Assert.Equal(["nested/deep.conf"], toSecond.Changes!.Created);
        Assert.Equal(["app.conf"], toSecond.Changes.Updated);
        Assert.Equal(["stale.conf"], toSecond.Changes.Deleted);
        Assert.Null(Read(first.HermesPath, "app-config/app.conf"));
        Assert.Equal("old", Read(second.HermesPath, "app-config/app.conf"));
        Assert.Equal("stale", Read(second.HermesPath, "app-config/stale.conf"));
    }

    [Fact]
    public async Task With_atomic_publish_every_agent_switches_a_release_link_and_an_agent_holding_the_revision_is_skipped()
    {
        var first = await AddShipAsync();
        var second = await AddShipAsync();
        Directory.CreateDirectory(Path.Combine(second.HermesPath, "app-config"));
        File.WriteAllText(Path.Combine(second.HermesPath, "app-config", "app.conf"), "in place before");
        var destination = Create($$"""{"type": "armada-local", "armada_api": "{{_armada.BaseUrl}}", "publish": "atomic"}""");
        var atomic = new DeliveryOptions { Publish = PublishOptions.Atomic };
        var snapshot = new Snapshot("test", SnapshotDirectory, "app-config", "r1");

        var results = await destination.DeliverAsync(snapshot, atomic, CancellationToken.None);

        Assert.All(results, r => Assert.True(r.Succeeded, r.Error));
        Assert.All(results, r => Assert.Equal("r1", r.Revision));
        Assert.Equal(".courier/releases/app-config/r1-1", new FileInfo(Path.Combine(first.HermesPath, "app-config")).LinkTarget);
        Assert.Equal(".courier/releases/app-config/r1-2", new FileInfo(Path.Combine(second.HermesPath, "app-config")).LinkTarget);
        Assert.Equal("for every agent", Read(second.HermesPath, "app-config/app.conf"));
        Assert.Equal("in place before", Read(second.HermesPath, ".courier/releases/app-config/in-place-1/app.conf"));

        var again = await destination.DeliverAsync(snapshot, atomic, CancellationToken.None);

        Assert.Equal(2, again.Count);
        Assert.All(again, r => Assert.True(r.Unchanged, r.Error));
    }

    [Fact]
    public async Task A_dead_agent_is_an_error_of_its_own_and_the_others_are_still_served()
    {
        var first = await AddShipAsync();
        var deadAddress = $"127.0.0.1:{FreePort.Next()}";
        _armada.AddDeadAgent(deadAddress);
        var second = await AddShipAsync();

        var results = await DeliverAsync(Create($$"""{"type": "armada-local", "armada_api": "{{_armada.BaseUrl}}"}"""));

        Assert.Equal(3, results.Count);
        var dead = Assert.Single(results, r => !r.Succeeded);
        Assert.Contains(deadAddress, dead.Target, StringComparison.Ordinal);
        Assert.Contains(deadAddress, dead.Error, StringComparison.Ordinal);
        Assert.Equal("for every agent", Read(first.HermesPath, "app-config/app.conf"));
        Assert.Equal("for every agent", Read(second.HermesPath, "app-config/app.conf"));
    }

    [Fact]
    public async Task An_agent_whose_ship_refuses_the_key_fails_alone()
    {
        var good = await AddShipAsync();
        var stranger = await SshServer.StartAsync();
        _ships.Add(stranger);
        var strangerPath = _temp.Combine("ships", "stranger");
        Directory.CreateDirectory(strangerPath);
        await _armada.AddAgentAsync(new HermesAddress(stranger.Endpoint, strangerPath));

        var results = await DeliverAsync(Create($$"""{"type": "armada-local", "armada_api": "{{_armada.BaseUrl}}"}"""));

        Assert.Equal("for every agent", Read(good.HermesPath, "app-config/app.conf"));
        var refused = Assert.Single(results, r => !r.Succeeded);
        Assert.Contains(stranger.Endpoint, refused.Target, StringComparison.Ordinal);
        Assert.Contains("Permission denied", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Many_agents_are_all_served_with_a_small_max_parallel_of_the_destination_and_never_more_at_once()
    {
        var ships = new List<(SshServer Ship, string HermesPath, string AgentAddress)>();
        for (var i = 0; i < 5; i++)
        {
            ships.Add(await AddShipAsync(countingSeconds: 0.4));
        }

        var results = await DeliverAsync(Create($$"""{"type": "armada-local", "armada_api": "{{_armada.BaseUrl}}", "max_parallel": 2}"""));

        Assert.Equal(5, results.Count(r => r.Succeeded));
        Assert.All(ships, s => Assert.Equal("for every agent", Read(s.HermesPath, "app-config/app.conf")));
        Assert.Equal(2, MostAtOnce);
    }

    [Fact]
    public async Task Without_max_parallel_a_cluster_takes_what_the_host_s_transfer_budget_gives()
    {
        for (var i = 0; i < 10; i++)
        {
            await AddShipAsync(countingSeconds: 3);
        }

        var results = await DeliverAsync(Create($$"""{"type": "armada-local", "armada_api": "{{_armada.BaseUrl}}"}"""));

        Assert.Equal(10, results.Count(r => r.Succeeded));
        // The agents' own bound used to be 8 at a time, whatever the budget.
        Assert.True(MostAtOnce > 8, $"at most {MostAtOnce} agents at once");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1025")]
    [InlineData("\"4\"")]
    public async Task A_max_parallel_that_is_not_a_number_from_1_to_1024_is_a_configuration_error(string value)
    {
        await AddShipAsync();

        var error = Assert.Throws<CourierConfigurationException>(() => Create($$"""{"type": "armada-local", "armada_api": "{{_armada.BaseUrl}}", "max_parallel": {{value}}}"""));

        Assert.Contains("\"max_parallel\" must be a whole number from 1 to 1024", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_armada_api_comes_from_the_host_setting_when_the_destination_names_none()
    {
        var ship = await AddShipAsync();

        var results = await DeliverAsync(Create("""{"type": "armada-local"}""", o => o.ArmadaApi = _armada.BaseUrl));

        Assert.True(Assert.Single(results).Succeeded);
        Assert.Equal("for every agent", Read(ship.HermesPath, "app-config/app.conf"));
    }

    [Fact]
    public async Task An_armada_api_that_does_not_answer_is_an_error_naming_it()
    {
        await AddShipAsync();
        var nowhere = $"http://127.0.0.1:{FreePort.Next()}";

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => DeliverAsync(Create($$"""{"type": "armada-local", "armada_api": "{{nowhere}}"}""")));

        Assert.Contains(nowhere, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_agent_answering_nonsense_is_an_error_for_that_agent()
    {
        var good = await AddShipAsync();
        await using var liar = await TestWebServer.StartAsync(app => app.Map("/hermes_address", () => "not json"));
        _armada.AddDeadAgent(liar.Address);

        var results = await DeliverAsync(Create($$"""{"type": "armada-local", "armada_api": "{{_armada.BaseUrl}}"}"""));

        var bad = Assert.Single(results, r => !r.Succeeded);
        Assert.Contains("invalid JSON", bad.Error, StringComparison.Ordinal);
        Assert.Equal("for every agent", Read(good.HermesPath, "app-config/app.conf"));
    }

    [Theory]
    [InlineData("""{"type": "armada-local", "armada_api": "ftp://ship"}""", "\"armada_api\" must be")]
    [InlineData("""{"type": "armada-local", "armada_api": 8900}""", "\"armada_api\" must be a string")]
    [InlineData("""{"type": "armada-local", "ssh": "docker"}""", "\"ssh\" must be an object")]
    public async Task Bad_entries_are_configuration_errors_naming_the_alias(string json, string expected)
    {
        await AddShipAsync();

        var error = Assert.Throws<CourierConfigurationException>(() => Create(json, o => o.ArmadaApi = _armada.BaseUrl));

        Assert.Contains("destination \"armada\"", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_default_gateway_is_the_one_the_kernel_routes_through()
    {
        var ip = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("ip") { ArgumentList = { "-4", "route", "show", "default" }, RedirectStandardOutput = true })!;
        var output = await ip.StandardOutput.ReadToEndAsync();
        await ip.WaitForExitAsync();
        var words = output.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        var via = Array.IndexOf(words, "via");
        var expected = via >= 0 ? IPAddress.Parse(words[via + 1]) : null;

        Assert.Equal(expected, DefaultGateway.Find());
    }
}
