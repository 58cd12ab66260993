using System.Net;
using System.Text.Json;
using Courier.Testing;

namespace Courier.EndToEnd.Tests;

/// <summary>How the test builds its four datacenters, their networks and their Couriers.</summary>
public sealed partial class ThreeDatacenterTests
{
    private async Task<NetworkNamespace> NamespaceAsync(string name)
    {
        var created = await NetworkNamespace.CreateAsync($"co{Environment.ProcessId % 100000}-{name}");
        _cleanup.Push(created);
        return created;
    }

    private async Task BuildTheNetworkAndTheSitesAsync()
    {
        _officeNet = await NamespaceAsync("office");
        var sandboxNet = await NamespaceAsync("sandbox");
        var gatewayNet = await NamespaceAsync("gateway");
        var productionNet = await NamespaceAsync("prod");
        await NetworkNamespace.ConnectAsync(_officeNet, "198.51.100.1/26", sandboxNet, "198.51.100.2/26");
        await NetworkNamespace.ConnectAsync(_officeNet, "198.51.100.65/26", gatewayNet, "198.51.100.66/26");
        await NetworkNamespace.ConnectAsync(gatewayNet, "203.0.113.1/24", productionNet, "203.0.113.10/24");

        var fleetKey = await SshKeyPair.GenerateAsync(_temp.Combine("keys"), "fleet");
        var gitKey = await SshKeyPair.GenerateAsync(_temp.Combine("keys"), "git");

        _gateway = await SshServer.StartAsync(new SshServerOptions
        {
            ListenAddress = "198.51.100.66",
            Port = 22,
            NetworkNamespace = gatewayNet.Name,
            ExtraAuthorizedKeys = [fleetKey.PublicKey],
            ExtraConfigLines = ["LogLevel DEBUG1"],
        });
        _cleanup.Push(_gateway);

        _git = await GitServer.StartAsync(new SshServerOptions { ListenAddress = "198.51.100.1", Port = 2222, NetworkNamespace = _officeNet.Name, ExtraAuthorizedKeys = [gitKey.PublicKey] });
        _cleanup.Push(_git);
        _chess = await _git.CreateRepositoryAsync("chess", "master", new Dictionary<string, string> { ["README.md"] = "the chess service", ["config/app.conf"] = "chess v1" });
        _checkers = await _git.CreateRepositoryAsync("checkers-config", "dev", new Dictionary<string, string> { ["checkers.conf"] = "checkers v1" });
        _go = await _git.CreateRepositoryAsync("go-config", "dev", new Dictionary<string, string> { ["go.conf"] = "go v1" });

        _sandbox = await DatacenterAsync("sandbox", sandboxNet, "198.51.100.2", ["198.51.100.21", "198.51.100.22"], _sandboxAgents, fleetKey);
        await ProductionAsync(productionNet, fleetKey);

        _office = await CourierSite.CreateAsync(new CourierSiteOptions { Name = "office", FleetKey = fleetKey, NetworkNamespace = _officeNet, Address = "198.51.100.1" });
        _cleanup.Push(_office);
        File.Copy(gitKey.PrivateKeyPath, Path.Combine(_office.ConfigDirectory, "keys", "git.key"));
        var sshConfig = _git.WriteSshConfig(Path.Combine(_office.ConfigDirectory, "ssh_config"), GitAlias);
        _office.WriteSources("chess.json", $$"""
            [
                {
                    "type": "git",
                    "repositories": ["{{_chess.ScpLikeUrl(GitAlias)}}"],
                    "subdirectory": "config",
                    "destination_path": "chess-config",
                    "ssh_key": "../keys/git.key",
                    "destinations": ["courier@sandbox", "courier@production"]
                }
            ]
            """);
        _office.WriteSources("games.json", $$"""
            [
                {
                    "type": "git",
                    "repositories": ["{{_checkers.ScpLikeUrl(GitAlias)}}", "{{_go.ScpLikeUrl(GitAlias)}}"],
                    "branch": "dev",
                    "ssh_key": "../keys/git.key",
                    "destinations": ["courier@sandbox", "courier@production"]
                }
            ]
            """);
        _office.WriteDestinations("""
            {
                "courier@sandbox": {
                    "type": "courier-remote",
                    "address": "198.51.100.2:8080",
                    "ssh": {"user": "root", "key": "keys/courier.key", "sudo": false}
                },
                "courier@production": {
                    "type": "courier-remote",
                    "address": "203.0.113.10:8080",
                    "ssh-tunnel": {"host": "198.51.100.66", "port": "22", "user": "root", "key": "keys/courier.key"},
                    "ssh": {"user": "root", "key": "keys/courier.key", "sudo": false}
                }
            }
            """);
        await _office.StartHostAsync(new Dictionary<string, string> { ["Courier:Ssh:ConfigFile"] = sshConfig });

        // Catch up on what was committed before the hosts ran, as a Courier does on its first start.
        Assert.Equal((HttpStatusCode.OK, "ok"), await _office.Host!.PostAsync("/update_from_git", JsonSerializer.Serialize(new { url = _chess.ScpLikeUrl(GitAlias), branch = "master" })));
        Assert.All(AllAgents, agent => Assert.Equal("chess v1", Read(agent, "chess-config/app.conf")));
    }

    /// <summary>A datacenter: its Courier (with sshd), its Armada API and its agents, each agent a real sshd on an address of its own.</summary>
    private async Task<CourierSite> DatacenterAsync(string name, NetworkNamespace network, string address, string[] agentAddresses, List<Agent> agents, SshKeyPair fleetKey)
    {
        var site = await CourierSite.CreateAsync(new CourierSiteOptions { Name = name, FleetKey = fleetKey, NetworkNamespace = network, Address = address });
        _cleanup.Push(site);
        var armada = await AgentsAsync(name, network, address, agentAddresses, agents, fleetKey);
        WriteDatacenterConfiguration(site, name);
        await site.StartHostAsync(new Dictionary<string, string> { ["Courier:ArmadaApi"] = armada.BaseUrl });
        return site;
    }

    /// <summary>
    /// Production as docs/cluster.md runs a datacenter: two Couriers on 203.0.113.11 and .12, one etcd cluster of the
    /// datacenter's own, and one address, 203.0.113.10, whose ssh and HTTP a load balancer spreads over both. Behind one
    /// address they share what a client sees there: the hermes directory (shared storage) and the sshd's host key.
    /// </summary>
    private async Task ProductionAsync(NetworkNamespace network, SshKeyPair fleetKey)
    {
        string[] members = ["203.0.113.11", "203.0.113.12"];
        var etcd = EtcdCluster.InNamespace(network);
        _cleanup.Push(etcd);
        await etcd.InitializeAsync();
        var armada = await AgentsAsync("production", network, "203.0.113.10", ["203.0.113.21", "203.0.113.22", "203.0.113.23"], _productionAgents, fleetKey);
        var hostKey = await SshKeyPair.GenerateAsync(_temp.Combine("keys"), "production-host");
        var sharedHermes = _temp.Combine("production", "shared-hermes");
        Directory.CreateDirectory(sharedHermes);
        foreach (var (member, index) in members.Select((member, index) => (member, index)))
        {
            await network.ExecAsync(["ip", "addr", "add", $"{member}/32", "dev", "lo"]);
            var name = $"production-{(char)('a' + index)}";
            var site = await CourierSite.CreateAsync(new CourierSiteOptions { Name = name, FleetKey = fleetKey, NetworkNamespace = network, Address = member, HermesDirectory = sharedHermes, HostKey = hostKey });
            _cleanup.Push(site);
            _production.Add(site);
            WriteDatacenterConfiguration(site, "production");
            await site.StartHostAsync(new Dictionary<string, string>
            {
                ["Courier:ArmadaApi"] = armada.BaseUrl,
                ["Courier:SshAddress"] = "203.0.113.10:22",
                ["Courier:Cluster:Etcd:Endpoints"] = string.Join(",", etcd.Endpoints),
                ["Courier:Cluster:MemberName"] = name,
                ["Courier:Cluster:LeaseTtl"] = "00:00:03",
                ["Courier:Cluster:Etcd:Timeout"] = "00:00:02",
            });
        }

        foreach (var port in new[] { 22, 8080 })
        {
            var address = TcpLoadBalancer.Start(new IPEndPoint(IPAddress.Parse("203.0.113.10"), port), [.. members.Select(member => new IPEndPoint(IPAddress.Parse(member), port))], network);
            _cleanup.Push(address);
            _productionAddress.Add(address);
        }
    }

    private async Task<ArmadaApiEmulator> AgentsAsync(string name, NetworkNamespace network, string address, string[] agentAddresses, List<Agent> agents, SshKeyPair fleetKey)
    {
        var armada = await ArmadaApiEmulator.StartAsync(address, network);
        _cleanup.Push(armada);
        foreach (var agentAddress in agentAddresses)
        {
            await network.ExecAsync(["ip", "addr", "add", $"{agentAddress}/32", "dev", "lo"]);
            var sshd = await SshServer.StartAsync(new SshServerOptions { ListenAddress = agentAddress, Port = 22, NetworkNamespace = network.Name, ExtraAuthorizedKeys = [fleetKey.PublicKey] });
            _cleanup.Push(sshd);
            var hermesPath = _temp.Combine(name, $"agent-{agentAddress}", "etc-opt");
            Directory.CreateDirectory(hermesPath);
            await armada.AddAgentAsync(new HermesAddress(sshd.Endpoint, hermesPath));
            agents.Add(new Agent($"{name} agent {agentAddress}", sshd, hermesPath));
        }

        return armada;
    }

    /// <summary>The README's picture of a datacenter's Courier: its whole hermes directory to every agent.</summary>
    private static void WriteDatacenterConfiguration(CourierSite site, string datacenter)
    {
        site.WriteSources("source.json", $$"""[{"type": "hermes-directory", "destinations": ["armada@{{datacenter}}"]}]""");
        site.WriteDestinations($$"""{"armada@{{datacenter}}": {"type": "armada-local"} }""");
    }
}
