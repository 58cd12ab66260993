using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Courier.Testing;

namespace Courier.EndToEnd.Tests;

/// <summary>
/// The real-life case of README.md and docs/operating.md, each datacenter a network namespace of its own:
/// <list type="bullet">
/// <item><em>office</em> (198.51.100.1): a git server over SSH and the office Courier with docs/operating.md's git sources;</item>
/// <item><em>sandbox</em> (198.51.100.2, on the office's network): a Courier and two Armada agents;</item>
/// <item><em>gateway</em> (198.51.100.66 towards the office, 203.0.113.1 towards production): only an sshd, no routing;</item>
/// <item><em>production</em> (203.0.113.10): two Couriers acting as one on the datacenter's own etcd cluster, behind one
/// address (a load balancer for ssh and HTTP in front of 203.0.113.11 and .12, sharing a hermes directory and a host key),
/// and three Armada agents, reachable from the office only through the gateway.</item>
/// </list>
/// Every Courier is a separate host process and every sshd is real; the Armada APIs are the one emulated party.
/// </summary>
public sealed partial class ThreeDatacenterTests : IAsyncLifetime
{
    private const string GitAlias = "git.initech.test";
    private readonly TempDirectory _temp = TempDirectory.Create("courier-e2e");
    private readonly Stack<IAsyncDisposable> _cleanup = new();
    private readonly List<Agent> _sandboxAgents = [];
    private readonly List<Agent> _productionAgents = [];
    private NetworkNamespace _officeNet = null!;
    private CourierSite _office = null!;
    private CourierSite _sandbox = null!;
    private readonly List<CourierSite> _production = [];
    private readonly List<TcpLoadBalancer> _productionAddress = [];
    private SshServer _gateway = null!;
    private GitServer _git = null!;
    private GitRepository _chess = null!;
    private GitRepository _checkers = null!;
    private GitRepository _go = null!;

    private sealed record Agent(string Name, SshServer Sshd, string HermesPath);

    public async Task InitializeAsync()
    {
        try
        {
            await BuildTheNetworkAndTheSitesAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        while (_cleanup.TryPop(out var owned))
        {
            try
            {
                await owned.DisposeAsync();
            }
            catch (Exception e) when (e is InvalidOperationException or IOException)
            {
                // Keep cleaning: a namespace left behind would disturb the next run.
            }
        }

        _temp.Dispose();
    }

    [Fact]
    public async Task A_gitlab_push_reaches_every_agent_of_every_datacenter_and_the_tunnel_is_what_carries_production()
    {
        var office = _office.Host!;

        // 1. A push to chess (master): GitLab's web hook to the office lands chess-config on all five agents.
        await _chess.WriteFileAsync("config/app.conf", "chess v2");
        await _chess.WriteFileAsync("config/old.conf", "to be deleted");
        await _chess.CommitAndPushAsync("chess v2");
        var (status, body) = await PostWebHookAsync(_chess, "master");
        Assert.True(status is HttpStatusCode.OK or HttpStatusCode.Accepted, body);
        await EveryAgentHasAsync("chess-config/app.conf", "chess v2");
        Assert.All(AllAgents, agent => Assert.Equal("to be deleted", Read(agent, "chess-config/old.conf")));
        Assert.All(AllAgents, agent => Assert.Null(Read(agent, "chess-config/README.md")));
        Assert.All(AllAgents, agent => Assert.Null(Read(agent, "go-config/go.conf")));

        // The office has no way to production but the gateway, and the gateway carried both the API and rsync.
        using (var socket = _officeNet.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            var error = await Assert.ThrowsAnyAsync<SocketException>(async () => await socket.ConnectAsync(IPAddress.Parse("203.0.113.10"), 8080));
            Assert.Equal(SocketError.NetworkUnreachable, error.SocketErrorCode);
        }

        Assert.Contains("target 203.0.113.10 port 8080", _gateway.Log, StringComparison.Ordinal);
        Assert.Contains("target 203.0.113.10 port 22", _gateway.Log, StringComparison.Ordinal);

        // 2. docs/operating.md's first example (two repositories, branch dev), triggered synchronously: only go-config's
        // source matches, and checkers-config stays where it was (nowhere).
        (status, body) = await office.PostAsync("/update_from_git", JsonSerializer.Serialize(new { url = _go.ScpLikeUrl(GitAlias), branch = "dev" }));
        Assert.Equal((HttpStatusCode.OK, "ok"), (status, body));
        Assert.All(AllAgents, agent => Assert.Equal("go v1", Read(agent, "go-config/go.conf")));
        Assert.All(AllAgents, agent => Assert.Null(Read(agent, "checkers-config/checkers.conf")));

        // 3. A change and a deletion travel the same way.
        await _chess.WriteFileAsync("config/app.conf", "chess v3");
        await _chess.DeleteFileAsync("config/old.conf");
        await _chess.CommitAndPushAsync("chess v3: old.conf is gone");
        (status, body) = await PostWebHookAsync(_chess, "master");
        Assert.True(status is HttpStatusCode.OK or HttpStatusCode.Accepted, body);
        await EveryAgentHasAsync("chess-config/app.conf", "chess v3");
        Assert.All(AllAgents, agent => Assert.Null(Read(agent, "chess-config/old.conf")));

        // 4. One production agent goes down: the others are still served and the error comes back to the office.
        var down = _productionAgents[2];
        await down.Sshd.StopAsync();
        await _chess.WriteFileAsync("config/app.conf", "chess v4");
        await _chess.CommitAndPushAsync("chess v4");
        (status, body) = await office.PostAsync("/update_from_git", JsonSerializer.Serialize(new { url = _chess.ScpLikeUrl(GitAlias), branch = "master" }), acceptJson: true);
        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Contains(down.Sshd.Endpoint, body, StringComparison.Ordinal);
        Assert.All(AllAgents.Where(agent => agent != down), agent => Assert.Equal("chess v4", Read(agent, "chess-config/app.conf")));
        Assert.Equal("chess v3", Read(down, "chess-config/app.conf"));

        // 5. Both production Couriers answered behind the one address, and when one machine is lost (its Courier killed
        // with SIGKILL, its sshd gone), the other takes every push alone.
        Assert.All(_productionAddress, address => Assert.Equal(2, address.Connections.Count));
        var lost = _production[0];
        Signal("KILL", lost.Host!.ProcessId);
        await lost.Sshd.StopAsync();
        await _chess.WriteFileAsync("config/app.conf", "chess v5");
        await _chess.CommitAndPushAsync("chess v5");
        (status, body) = await PostWebHookAsync(_chess, "master");
        Assert.True(status is HttpStatusCode.OK or HttpStatusCode.Accepted, body);
        await AgentsHaveAsync(AllAgents.Where(agent => agent != down), "chess-config/app.conf", "chess v5");
        Assert.Equal("chess v3", Read(down, "chess-config/app.conf"));
    }

    private IEnumerable<Agent> AllAgents => _sandboxAgents.Concat(_productionAgents);

    private static string? Read(Agent agent, string relative)
    {
        var path = Path.Combine(agent.HermesPath, relative);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }

    private Task EveryAgentHasAsync(string relative, string content) => AgentsHaveAsync(AllAgents, relative, content);

    private async Task AgentsHaveAsync(IEnumerable<Agent> agents, string relative, string content)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (agents.Any(agent => Read(agent, relative) != content))
        {
            if (DateTime.UtcNow > deadline)
            {
                var missing = string.Join(", ", agents.Where(agent => Read(agent, relative) != content).Select(agent => agent.Name));
                var production = string.Join("\n", _production.Select(site => $"{site.Name}:\n{site.Host!.Logs}"));
                Assert.Fail($"{relative} = \"{content}\" never reached {missing}.\nOffice logs:\n{_office.Host!.Logs}\nProduction logs:\n{production}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>A push event as GitLab sends it (only the fields Courier reads, and a few it ignores).</summary>
    private Task<(HttpStatusCode Status, string Body)> PostWebHookAsync(GitRepository repository, string branch)
    {
        var url = repository.ScpLikeUrl(GitAlias);
        var payload = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["object_kind"] = "push",
            ["event_name"] = "push",
            ["before"] = "0000000000000000000000000000000000000000",
            ["ref"] = $"refs/heads/{branch}",
            ["user_username"] = "jsmith",
            ["project"] = new Dictionary<string, object> { ["name"] = repository.Name, ["git_ssh_url"] = url, ["git_http_url"] = $"http://{GitAlias}/{repository.Name}.git" },
            ["repository"] = new Dictionary<string, object> { ["name"] = repository.Name, ["url"] = url, ["git_ssh_url"] = url, ["git_http_url"] = $"http://{GitAlias}/{repository.Name}.git" },
            ["commits"] = Array.Empty<object>(),
            ["total_commits_count"] = 1,
        });
        return PostAsync(_office.Host!, "/gitlab_web_hook", payload, ("X-Gitlab-Event", "Push Hook"));
    }

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(CourierHostProcess host, string path, string json, (string Name, string Value) header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add(header.Name, header.Value);
        using var response = await host.Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static void Signal(string signal, int processId)
    {
        using var kill = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("kill") { ArgumentList = { $"-{signal}", processId.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }
}
