using System.Net;

namespace Courier.Security.Tests;

/// <summary>Who may call what: callers from a public address, token holders, Armada agents on the private network.</summary>
[Collection(SecuredSiteCollection.Name)]
public sealed class AccessControlTests(SecuredSite site)
{
    public static TheoryData<string, bool> MutatingCalls => new()
    {
        { "/update_all", false }, { "/update_all", true },
        { "/update_from_git", false }, { "/update_from_hermes_directory", false }, { "/update_hermes", false }, { "/update_hermes", true },
        { "/hold", false }, { "/hold", true }, { "/release", false },
    };

    [Theory]
    [MemberData(nameof(MutatingCalls))]
    public async Task A_caller_from_a_public_address_without_a_token_is_refused_naming_the_setting(string path, bool dualStack)
    {
        using var client = site.PublicClient(dualStack);

        var (status, body) = await SecuredSite.SendAsync(client, path, """{"ssh": "127.0.0.1:22", "path": "/etc/opt", "url": "x", "source": "secrets"}""");

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("Courier:Api:AllowedNetworks", body, StringComparison.Ordinal);
        Assert.Contains(SecuredSite.PublicCallerAddress, body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Welcome_health_and_hermes_address_stay_open_to_everyone(bool dualStack)
    {
        using var client = site.PublicClient(dualStack);

        Assert.StartsWith("Welcome to courier.", await client.GetStringAsync("/"), StringComparison.Ordinal);
        Assert.Equal("ok", await client.GetStringAsync("/health"));
        Assert.Contains(SecuredSite.HostPrivateAddress, await client.GetStringAsync("/hermes_address"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_token_holder_is_allowed_from_a_public_address(bool dualStack)
    {
        using var client = site.PublicClient(dualStack);

        var answer = await SecuredSite.SendAsync(client, "/update_from_git", """{"url": "ci@git.initech.com:chess/chess.git"}""", bearer: SecuredSite.Token);

        Assert.Equal((HttpStatusCode.OK, "ok"), answer);
        Assert.DoesNotContain(SecuredSite.Token, site.Host.Logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_holder_holds_and_releases_a_source_from_a_public_address()
    {
        using var client = site.PublicClient();

        var (held, heldBody) = await SecuredSite.SendAsync(client, "/hold", """{"source": "secrets", "reason": "audit"}""", bearer: SecuredSite.Token);
        var (released, releasedBody) = await SecuredSite.SendAsync(client, "/release", """{"source": "secrets"}""", bearer: SecuredSite.Token);

        Assert.Equal(HttpStatusCode.OK, held);
        Assert.Contains("hermes-directory:secrets", heldBody, StringComparison.Ordinal);

        // Released, then updated at once: its only destination alias is not configured here.
        Assert.Equal((HttpStatusCode.InternalServerError, "There were errors. Check logs for details."), (released, releasedBody));
        Assert.Contains("Held hermes-directory:secrets at the request of token ci: audit", site.Host.Logs, StringComparison.Ordinal);
        Assert.DoesNotContain(SecuredSite.Token, site.Host.Logs, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wrong-token-0123456789", "/update_all")]
    [InlineData("ci-token-0123456789abcde", "/update_all")]
    [InlineData("wrong-token-0123456789", "/hold")]
    [InlineData("wrong-token-0123456789", "/release")]
    public async Task A_wrong_token_is_refused_with_401_even_from_the_private_network(string token, string path)
    {
        using var client = site.AgentClient();

        var (status, body) = await SecuredSite.SendAsync(client, path, """{"source": "secrets"}""", headers: [("Authorization", $"Bearer {token}")]);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("Courier:Api:Tokens", body, StringComparison.Ordinal);
        Assert.DoesNotContain(SecuredSite.Token, site.Host.Logs, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_armada_agent_on_the_private_network_calls_update_hermes_with_no_credentials(bool dualStack)
    {
        using var client = site.AgentClient(dualStack);
        var agentPath = Path.Combine(site.AgentDirectory, dualStack ? "v6" : "v4");
        Directory.CreateDirectory(agentPath);

        var answer = await SecuredSite.SendAsync(client, "/update_hermes", $$"""{"ssh": "{{site.Target.Endpoint}}", "path": "{{agentPath}}"}""");

        Assert.Equal((HttpStatusCode.OK, "ok"), answer);
        Assert.Equal("password=hunter2", File.ReadAllText(Path.Combine(agentPath, "secrets", "db.conf")));
    }

    [Fact]
    public async Task X_forwarded_for_from_a_caller_that_is_no_known_proxy_is_ignored()
    {
        using var client = site.PublicClient();

        var (status, _) = await SecuredSite.SendAsync(client, "/update_all", headers: [("X-Forwarded-For", "10.0.0.1")]);

        Assert.Equal(HttpStatusCode.Forbidden, status);
    }
}
