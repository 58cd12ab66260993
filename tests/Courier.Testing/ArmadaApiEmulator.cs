using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Courier.Testing;

/// <summary>
/// The one emulated party: the Armada API of a ship (<c>GET /list?microservice_name=armada</c>) and the Armada
/// agents it lists (<c>GET /hermes_address</c>), answering exactly as Armada does. The hermes addresses the agents
/// give are real sshd servers of the test.
/// </summary>
public sealed class ArmadaApiEmulator : IAsyncDisposable
{
    private readonly ConcurrentQueue<ListedAgent> _agents = new();
    private readonly List<TestWebServer> _agentServers = [];
    private readonly string _listenAddress;
    private readonly NetworkNamespace? _networkNamespace;
    private TestWebServer _api = null!;

    private ArmadaApiEmulator(string listenAddress, NetworkNamespace? networkNamespace)
    {
        _listenAddress = listenAddress;
        _networkNamespace = networkNamespace;
    }

    /// <summary>The Armada API's base URL, as <c>armada_api</c> or <c>Courier:ArmadaApi</c> names it.</summary>
    public string BaseUrl => _api.BaseUrl;

    /// <summary>Requests to the API and to every agent, as <c>METHOD /path?query</c>.</summary>
    public IReadOnlyList<string> Requests => [.. _api.Requests, .. _agentServers.SelectMany(s => s.Requests)];

    /// <summary>Starts the Armada API on a free port of <paramref name="listenAddress"/> (inside <paramref name="networkNamespace"/> when given), with no agents yet.</summary>
    public static async Task<ArmadaApiEmulator> StartAsync(string listenAddress = "127.0.0.1", NetworkNamespace? networkNamespace = null)
    {
        var emulator = new ArmadaApiEmulator(listenAddress, networkNamespace);
        emulator._api = await TestWebServer.StartAsync(app => app.MapGet("/list", emulator.List), listenAddress, networkNamespace);
        return emulator;
    }

    /// <summary>Starts an agent that answers <c>/hermes_address</c> with <paramref name="hermes"/>, and lists it.</summary>
    public async Task<string> AddAgentAsync(HermesAddress hermes, string status = "passing")
    {
        ListedAgent? listed = null;
        var agent = await TestWebServer.StartAsync(
            app => app.MapGet("/hermes_address", () =>
            {
                if (listed is { StatusWhenDelivered: { } next })
                {
                    listed.Status = next;
                }

                return Results.Json(new Dictionary<string, string> { ["status"] = "ok", ["ssh"] = hermes.Ssh, ["path"] = hermes.Path });
            }),
            _listenAddress,
            _networkNamespace);
        lock (_agentServers)
        {
            _agentServers.Add(agent);
        }

        listed = new ListedAgent(agent.Address, status);
        _agents.Enqueue(listed);
        return agent.Address;
    }

    /// <summary>
    /// From the next delivery to the agent at <paramref name="address"/> on (its <c>/hermes_address</c> asked), the API
    /// reports it <paramref name="status"/>: a service that the configuration being delivered breaks.
    /// </summary>
    public void ReportAfterNextDelivery(string address, string status) => _agents.Single(agent => agent.Address == address).StatusWhenDelivered = status;

    /// <summary>Lists an agent at <paramref name="address"/> (IP:PORT) where nothing answers: a ship that went down.</summary>
    public void AddDeadAgent(string address, string status = "passing") => _agents.Enqueue(new ListedAgent(address, status));

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _api.DisposeAsync();
        foreach (var agent in _agentServers)
        {
            await agent.DisposeAsync();
        }
    }

    private IResult List(string? microservice_name)
    {
        var result = microservice_name == "armada"
            ? _agents.Select((agent, index) => new Dictionary<string, object>
            {
                ["name"] = "armada",
                ["address"] = agent.Address,
                ["microservice_id"] = $"ship{index}:armada-{index:x8}",
                ["status"] = agent.Status,
                ["tags"] = new Dictionary<string, string>(),
                ["start_timestamp"] = "1700000000",
            }).ToList()
            : [];
        return Results.Json(new Dictionary<string, object> { ["status"] = "ok", ["result"] = result });
    }

    private sealed class ListedAgent(string address, string status)
    {
        private volatile string _status = status;
        private volatile string? _statusWhenDelivered;

        public string Address { get; } = address;

        public string Status { get => _status; set => _status = value; }

        public string? StatusWhenDelivered { get => _statusWhenDelivered; set => _statusWhenDelivered = value; }
    }
}
