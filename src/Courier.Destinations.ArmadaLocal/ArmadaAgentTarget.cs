namespace Courier.Destinations.ArmadaLocal;

/// <summary>
/// One Armada agent as a rollout target: delivered to as the destination delivers to each agent, and checked after
/// its wave against the Armada API, where an agent that is no longer passing or warning fails the health gate.
/// </summary>
internal sealed class ArmadaAgentTarget(ArmadaLocalDestination destination, string agentAddress, string status) : IDeliveryTarget
{
    private SshEndpoint? _ssh;

    public string Name => $"armada agent {agentAddress}";

    public string? Host => HermesAddress.SplitEndpoint(agentAddress).Host;

    public SshEndpoint? Ssh => _ssh;

    public async Task<IReadOnlyList<DeliveryResult>> DeliverAsync(Snapshot snapshot, DeliveryOptions options, CancellationToken cancellationToken)
    {
        if (!ArmadaLocalDestination.IsHealthy(status))
        {
            return [ArmadaLocalDestination.NotPushed(agentAddress, status)];
        }

        var (result, hermes) = await destination.DeliverToAgentAsync(agentAddress, snapshot, options, cancellationToken).ConfigureAwait(false);
        if (hermes is not null)
        {
            _ssh = new SshEndpoint(hermes, destination.Login, null);
        }

        return [result];
    }

    public async Task<string?> CheckAsync(CancellationToken cancellationToken)
    {
        var agents = await destination.ListAgentsAsync(cancellationToken).ConfigureAwait(false);
        var now = agents.FirstOrDefault(agent => agent.Address == agentAddress);
        return now.Address is null
            ? $"the Armada API no longer lists agent {agentAddress}"
            : ArmadaLocalDestination.IsHealthy(now.Status) ? null : $"the Armada API reports agent {agentAddress} {now.Status}";
    }
}
