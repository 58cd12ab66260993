namespace Courier;

/// <summary>
/// One target of a destination, which a rollout delivers to in its wave, checks, and switches back: an Armada agent of
/// <c>armada-local</c>, the address of an <c>ssh</c> destination, a remote Courier together with its
/// <c>POST /update_all</c>. A destination lists them with <see cref="IDestination.ListTargetsAsync"/>.
/// </summary>
public interface IDeliveryTarget
{
    /// <summary>The target as people read it; stable from one update to the next (waves are ordered by it).</summary>
    string Name { get; }

    /// <summary>The host a health check's <c>{host}</c> stands for; null when the target has none.</summary>
    string? Host { get; }

    /// <summary>
    /// Where a health check's <c>"command"</c> runs over ssh: the target's hermes address and login; null when the
    /// target cannot be reached so, or not before its first delivery (an agent's address is asked when delivering).
    /// </summary>
    SshEndpoint? Ssh { get; }

    /// <summary>Delivers <paramref name="snapshot"/> to this target alone, as <see cref="IDestination.DeliverAsync(Snapshot, DeliveryOptions, CancellationToken)"/> does to all.</summary>
    Task<IReadOnlyList<DeliveryResult>> DeliverAsync(Snapshot snapshot, DeliveryOptions options, CancellationToken cancellationToken);

    /// <summary>The destination's own health check of this target after a delivery: null when healthy, else why not (an Armada agent reporting <c>critical</c>).</summary>
    Task<string?> CheckAsync(CancellationToken cancellationToken) => Task.FromResult<string?>(null);
}

/// <summary>A target's files as ssh reaches them.</summary>
/// <param name="Address">The hermes address.</param>
/// <param name="Login">The ssh login.</param>
/// <param name="Gateway">The ssh gateway in between, or null.</param>
public sealed record SshEndpoint(HermesAddress Address, SshLogin Login, SshGateway? Gateway);

/// <summary>A destination that does not list its targets, as one target: what plugins built before rollouts are in a wave.</summary>
/// <param name="destination">The destination.</param>
public sealed class WholeDestinationTarget(IDestination destination) : IDeliveryTarget
{
    /// <inheritdoc />
    public string Name => destination.Alias;

    /// <inheritdoc />
    public string? Host => null;

    /// <inheritdoc />
    public SshEndpoint? Ssh => null;

    /// <inheritdoc />
    public Task<IReadOnlyList<DeliveryResult>> DeliverAsync(Snapshot snapshot, DeliveryOptions options, CancellationToken cancellationToken) =>
        destination.DeliverAsync(snapshot, options, cancellationToken);
}
