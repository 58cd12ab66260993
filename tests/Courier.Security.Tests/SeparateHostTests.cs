using System.Net;
using Courier.Testing;

namespace Courier.Security.Tests;

/// <summary>Settings other than the shared site's: each test starts its own host beside it (ports 8090 and up).</summary>
[Collection(SecuredSiteCollection.Name)]
public sealed class SeparateHostTests(SecuredSite site)
{
    [Fact]
    public async Task A_hook_of_a_provider_without_a_secret_falls_under_the_allowed_networks()
    {
        await using var host = await site.StartHostAsync(new Dictionary<string, string>(), port: 8090, dualStackPort: 8091);
        using var publicClient = site.PublicClient(port: 8090);
        using var agentClient = site.AgentClient(port: 8090);
        (string, string)[] headers = [("X-Gitlab-Event", "Push Hook")];

        var fromPublic = await SecuredSite.SendAsync(publicClient, "/gitlab_web_hook", WebHookPayloads.GitLabPush, headers: headers);
        var fromAgentNetwork = await SecuredSite.SendAsync(agentClient, "/gitlab_web_hook", WebHookPayloads.GitLabPush, headers: headers);

        Assert.Equal(HttpStatusCode.Forbidden, fromPublic.Status);
        Assert.Contains("Courier:Api:AllowedNetworks", fromPublic.Body, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.Accepted, "queued"), fromAgentNetwork);
    }

    [Fact]
    public async Task X_forwarded_for_is_believed_from_a_known_proxy_only()
    {
        // The public caller plays a reverse proxy in front of Courier.
        await using var host = await site.StartHostAsync(new Dictionary<string, string> { ["Courier:Api:KnownProxies:0"] = SecuredSite.PublicCallerAddress }, port: 8092, dualStackPort: 8093);
        using var viaProxy = site.PublicClient(port: 8092);
        using var agent = site.AgentClient(port: 8092);

        var forAgent = await SecuredSite.SendAsync(viaProxy, "/update_from_git", """{"url": "x"}""", headers: [("X-Forwarded-For", "192.168.77.9")]);
        var forOutsider = await SecuredSite.SendAsync(viaProxy, "/update_from_git", """{"url": "x"}""", headers: [("X-Forwarded-For", "198.51.100.7")]);
        var spoofedByAgent = await SecuredSite.SendAsync(agent, "/update_from_git", """{"url": "x"}""", headers: [("X-Forwarded-For", "198.51.100.7")]);

        Assert.Equal((HttpStatusCode.OK, "ok"), forAgent);
        Assert.Equal(HttpStatusCode.Forbidden, forOutsider.Status);
        Assert.Contains("198.51.100.7", forOutsider.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, spoofedByAgent.Status);
    }

    [Theory]
    [InlineData("Courier:Api:AllowedNetworks:0", "10.0.0.0/33")]
    [InlineData("Courier:UpdateHermes:AllowedTargets:0", "not-a-network")]
    [InlineData("Courier:Api:KnownProxies:0", "proxy.example.com")]
    [InlineData("Courier:UpdateHermes:AllowedPaths:0", "/")]
    public async Task A_bad_setting_stops_the_host_naming_it(string setting, string value)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            site.StartHostAsync(new Dictionary<string, string> { [setting] = value }, port: 8094, dualStackPort: 8095));

        Assert.Contains(setting[..setting.LastIndexOf(':')], error.Message, StringComparison.Ordinal);
        Assert.Contains("Courier cannot start", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hermes_subdirectory_linked_outside_the_hermes_directory_is_refused_and_nothing_is_sent()
    {
        using var root = TempDirectory.Create("courier-sec-link");
        var hermes = root.Combine("hermes");
        root.WriteFile("outside/shadow", "root:x:0:0");
        root.WriteFile("hermes/app/app.conf", "inside");
        root.WriteFile("hermes/app/shared-template.conf", "linked inside");
        File.CreateSymbolicLink(root.Combine("hermes", "app", "current.conf"), "shared-template.conf");
        Directory.CreateSymbolicLink(root.Combine("hermes", "etc"), root.Combine("outside"));
        root.WriteFile("config/sources/s.json", """
            [{"type": "hermes-directory", "subdirectory": "etc", "destinations": ["nowhere"]},
             {"type": "hermes-directory", "subdirectory": "app", "destinations": ["nowhere"]}]
            """);
        root.WriteFile("config/destinations.json", "{}");
        Directory.CreateDirectory(root.Combine("config", "keys"));
        File.Copy(site.KeyPath, root.Combine("config", "keys", "courier.key"));
        File.SetUnixFileMode(root.Combine("config", "keys", "courier.key"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var agentPath = Path.Combine(site.AgentDirectory, "links");
        Directory.CreateDirectory(agentPath);
        await using var host = await site.StartHostAsync(new Dictionary<string, string>(), port: 8096, dualStackPort: 8097, configDirectory: root.Combine("config"), hermesDirectory: hermes);
        using var agent = site.AgentClient(port: 8096);

        var (status, report) = await SecuredSite.SendAsync(
            agent, "/update_hermes", $$"""{"ssh": "{{site.Target.Endpoint}}", "path": "{{agentPath}}"}""", headers: [("Accept", "application/json")]);

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Contains("outside the hermes directory", report, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(agentPath, "etc")));
        Assert.Equal("inside", File.ReadAllText(Path.Combine(agentPath, "app", "app.conf")));
        Assert.Equal("shared-template.conf", new FileInfo(Path.Combine(agentPath, "app", "current.conf")).LinkTarget);
    }
}
