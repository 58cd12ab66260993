using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Courier.Destinations.ArmadaLocal;

/// <summary>
/// Every Armada agent of the local cluster: found through the Armada API, each asked for its hermes address,
/// each pushed to in parallel, at most <c>maxParallel</c> at once however they are delivered (all together, or agent by
/// agent in a rollout's waves or a cluster's shares), and each push in a slot of the host's transfer budget. One agent
/// failing is that agent's error only.
/// </summary>
internal sealed partial class ArmadaLocalDestination(
    string alias,
    Uri armadaApi,
    SshLogin login,
    int maxParallel,
    IFileTransfer transfer,
    IHttpClientFactory httpClients,
    ILogger<ArmadaLocalDestination> logger) : IDestination
{
    internal const string HttpClientName = "Courier.Destinations.ArmadaLocal";
    private static readonly TimeSpan QuestionTimeout = TimeSpan.FromSeconds(10);
    private readonly SemaphoreSlim _agentsAtOnce = new(maxParallel, maxParallel);

    public string Alias { get; } = alias;

    public string Type => ArmadaLocalDestinationFactory.TypeName;

    public Task<IReadOnlyList<DeliveryResult>> DeliverAsync(Snapshot snapshot, CancellationToken cancellationToken) =>
        DeliverAsync(snapshot, DeliveryOptions.Default, cancellationToken);

    public async Task<IReadOnlyList<DeliveryResult>> DeliverAsync(Snapshot snapshot, DeliveryOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var agents = await ListAgentsAsync(cancellationToken).ConfigureAwait(false);
        LogAgentsFound(agents.Count(agent => IsHealthy(agent.Status)), agents.Count, armadaApi.ToString(), snapshot.SourceId);
        // DeliverToAgentAsync holds the destination's bound, so every agent can be started here.
        return await Task.WhenAll(agents.Select(async agent => IsHealthy(agent.Status)
            ? (await DeliverToAgentAsync(agent.Address, snapshot, options, cancellationToken).ConfigureAwait(false)).Result
            : NotPushed(agent.Address, agent.Status))).ConfigureAwait(false);
    }

    /// <summary>Every agent the Armada API lists, each a target of its own (a rollout's waves go agent by agent).</summary>
    public async Task<IReadOnlyList<IDeliveryTarget>> ListTargetsAsync(CancellationToken cancellationToken)
    {
        var agents = await ListAgentsAsync(cancellationToken).ConfigureAwait(false);
        return [.. agents.Select(agent => new ArmadaAgentTarget(this, agent.Address, agent.Status))];
    }

    /// <summary>As the original: an agent that is not passing or warning is reported, and counts as a failure.</summary>
    internal static DeliveryResult NotPushed(string agentAddress, string status) =>
        DeliveryResult.Failure($"armada agent {agentAddress}", $"not pushed to: status {status}", TimeSpan.Zero);

    internal SshLogin Login => login;

    /// <summary>Asks the agent for its hermes address and pushes there; the address is given back for later checks.</summary>
    internal async Task<(DeliveryResult Result, HermesAddress? Hermes)> DeliverToAgentAsync(string agentAddress, Snapshot snapshot, DeliveryOptions options, CancellationToken cancellationToken)
    {
        await _agentsAtOnce.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await AskAndPushAsync(agentAddress, snapshot, options, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _agentsAtOnce.Release();
        }
    }

    private async Task<(DeliveryResult Result, HermesAddress? Hermes)> AskAndPushAsync(string agentAddress, Snapshot snapshot, DeliveryOptions options, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        HermesAddress hermes;
        try
        {
            var body = await GetAsync(new Uri($"http://{agentAddress}/hermes_address"), cancellationToken).ConfigureAwait(false);
            hermes = HermesAddress.FromAnswer(body, $"Armada agent {agentAddress}");
        }
        catch (Exception e) when (e is HttpRequestException or FormatException or TimeoutException)
        {
            LogAgentUnreachable(agentAddress, e.Message);
            return (DeliveryResult.Failure($"armada agent {agentAddress}", e.Message, started.Elapsed), null);
        }

        var push = await transfer.PushAsync(snapshot, hermes, login, gateway: null, options, cancellationToken).ConfigureAwait(false);
        return (push.ToDeliveryResult() with { Target = $"{push.Target} (armada agent {agentAddress})" }, hermes);
    }

    /// <summary>The addresses and statuses of every Armada agent the API lists.</summary>
    internal async Task<IReadOnlyList<(string Address, string Status)>> ListAgentsAsync(CancellationToken cancellationToken)
    {
        var url = new Uri(armadaApi, "list?microservice_name=armada");
        string body;
        try
        {
            body = await GetAsync(url, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException)
        {
            throw new InvalidOperationException($"the Armada API at {armadaApi} could not list the agents: {e.Message}", e);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object ||
                !root.TryGetProperty("status", out var status) || status.GetString() != "ok" ||
                !root.TryGetProperty("result", out var result) || result.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidOperationException($"the Armada API at {armadaApi} answered /list without status \"ok\" and a result list: {PeerAnswer.Excerpt(body)}");
            }

            return result.EnumerateArray()
                .Where(agent => agent.ValueKind == JsonValueKind.Object)
                .Select(agent => (Address: PeerAnswer.ReadString(agent, "address") ?? string.Empty, Status: PeerAnswer.ReadString(agent, "status") ?? "unknown"))
                .Where(agent => agent.Address.Length > 0)
                .DistinctBy(agent => agent.Address, StringComparer.Ordinal)
                .ToList();
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"the Armada API at {armadaApi} answered /list with invalid JSON ({e.Message}): {PeerAnswer.Excerpt(body)}", e);
        }
    }

    internal static bool IsHealthy(string status) =>
        status.Equals("passing", StringComparison.OrdinalIgnoreCase) || status.Equals("warning", StringComparison.OrdinalIgnoreCase);

    private async Task<string> GetAsync(Uri url, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        var answer = await HttpQuestions.AskAsync(httpClients.CreateClient(HttpClientName), request, QuestionTimeout, $"{QuestionTimeout.TotalSeconds:0} s", cancellationToken).ConfigureAwait(false);
        return answer.IsSuccess
            ? answer.Body
            : throw new HttpRequestException($"GET {url} answered {(int)answer.StatusCode}: {PeerAnswer.Excerpt(answer.Body)}");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The Armada API {ArmadaApi} lists {Healthy} healthy agents of {Count} for {Source}")]
    private partial void LogAgentsFound(int healthy, int count, string armadaApi, string source);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Armada agent {Agent} gave no hermes address: {Error}")]
    private partial void LogAgentUnreachable(string agent, string error);
}
