using System.Net;
using Courier.Testing;

namespace Courier.Security.Tests;

/// <summary>Host keys pinned by the operator (Courier:Ssh:KnownHostsFile) or by a destination ("ssh": {"known_hosts"}), checked by real ssh.</summary>
[Collection(SecuredSiteCollection.Name)]
public sealed class HostKeyPinningTests(SecuredSite site)
{
    [Fact]
    public async Task A_pinned_host_key_that_does_not_match_is_refused_naming_the_host_and_both_fingerprints()
    {
        // The operator pinned another machine's key for the target's address: what a changed (or impostor) key looks like.
        var knownHosts = site.Root.WriteFile("pinned_known_hosts", $"{KnownHostsName()} {site.Attacker.HostPublicKey}\n");
        await using var host = await site.StartHostAsync(
            new Dictionary<string, string> { ["Courier:Ssh:KnownHostsFile"] = knownHosts, ["Courier:Ssh:StrictHostKeyChecking"] = "yes" }, port: 8098, dualStackPort: 8099);
        using var agent = site.AgentClient(port: 8098);
        var agentPath = Path.Combine(site.AgentDirectory, "pinned");
        Directory.CreateDirectory(agentPath);

        var (status, report) = await SecuredSite.SendAsync(
            agent, "/update_hermes", $$"""{"ssh": "{{site.Target.Endpoint}}", "path": "{{agentPath}}"}""", headers: [("Accept", "application/json")]);

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.True(report.Contains($"host key of 127.0.0.1:{site.Target.Port} has changed", StringComparison.Ordinal), report);
        Assert.Contains(await FingerprintAsync(site.Target.HostPublicKey), report, StringComparison.Ordinal);
        Assert.Contains(await FingerprintAsync(site.Attacker.HostPublicKey), report, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(agentPath));
    }

    [Fact]
    public async Task A_pinned_host_key_that_matches_lets_strict_checking_deliver()
    {
        var knownHosts = site.Root.WriteFile("good_known_hosts", $"{KnownHostsName()} {site.Target.HostPublicKey}\n");
        await using var host = await site.StartHostAsync(
            new Dictionary<string, string> { ["Courier:Ssh:KnownHostsFile"] = knownHosts, ["Courier:Ssh:StrictHostKeyChecking"] = "yes" }, port: 8100, dualStackPort: 8101);
        using var agent = site.AgentClient(port: 8100);
        var agentPath = Path.Combine(site.AgentDirectory, "pinned-ok");
        Directory.CreateDirectory(agentPath);

        var answer = await SecuredSite.SendAsync(agent, "/update_hermes", $$"""{"ssh": "{{site.Target.Endpoint}}", "path": "{{agentPath}}"}""");

        Assert.Equal((HttpStatusCode.OK, "ok"), answer);
        Assert.True(File.Exists(Path.Combine(agentPath, "secrets", "db.conf")));
    }

    /// <summary>The target as known_hosts names it (brackets and port unless the port is 22).</summary>
    private string KnownHostsName() => site.Target.Port == 22 ? "127.0.0.1" : $"[127.0.0.1]:{site.Target.Port}";

    /// <summary>The key's fingerprint as ssh-keygen -l prints it.</summary>
    private static async Task<string> FingerprintAsync(string publicKey)
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, publicKey + "\n");
            var result = await CliWrap.Buffered.BufferedCommandExtensions.ExecuteBufferedAsync(CliWrap.Cli.Wrap("ssh-keygen").WithArguments(["-l", "-f", file]));
            return result.StandardOutput.Split(' ')[1];
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_destination_pins_its_own_host_keys_relative_to_destinations_json(bool pinnedKeyMatches)
    {
        using var root = TempDirectory.Create("courier-sec-pin");
        var target = Path.Combine(site.AgentDirectory, pinnedKeyMatches ? "dest-pin-ok" : "dest-pin-bad");
        Directory.CreateDirectory(target);
        root.WriteFile("hermes/app/app.conf", "pinned delivery");
        root.WriteFile("config/keys/prod_known_hosts", $"{KnownHostsName()} {(pinnedKeyMatches ? site.Target.HostPublicKey : site.Attacker.HostPublicKey)}\n");
        File.Copy(site.KeyPath, root.Combine("config", "keys", "courier.key"));
        root.WriteFile("config/sources/s.json", """[{"type": "hermes-directory", "subdirectory": "app", "destinations": ["production"]}]""");
        root.WriteFile("config/destinations.json", $$$"""
            {"production": {"type": "ssh", "address": "{{{site.Target.Endpoint}}}", "path": "{{{target}}}",
                            "ssh": {"user": "{{{site.Target.User}}}", "key": "keys/courier.key", "sudo": false, "known_hosts": "keys/prod_known_hosts"} } }
            """);
        await using var host = await site.StartHostAsync(
            new Dictionary<string, string> { ["Courier:Ssh:StrictHostKeyChecking"] = "yes" }, port: pinnedKeyMatches ? 8102 : 8104, dualStackPort: pinnedKeyMatches ? 8103 : 8105,
            configDirectory: root.Combine("config"), hermesDirectory: root.Combine("hermes"));
        using var agent = site.AgentClient(port: pinnedKeyMatches ? 8102 : 8104);

        var (status, report) = await SecuredSite.SendAsync(agent, "/update_all", headers: [("Accept", "application/json")]);

        if (pinnedKeyMatches)
        {
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("pinned delivery", File.ReadAllText(Path.Combine(target, "app", "app.conf")));
        }
        else
        {
            Assert.Equal(HttpStatusCode.InternalServerError, status);
            Assert.Contains("has changed", report, StringComparison.Ordinal);
            Assert.Contains("prod_known_hosts line 1", report, StringComparison.Ordinal);
            Assert.Empty(Directory.EnumerateFileSystemEntries(target));
        }
    }
}
