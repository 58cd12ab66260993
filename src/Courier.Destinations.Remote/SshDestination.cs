namespace Courier.Destinations.Remote;

/// <summary>The <c>"ssh"</c> destination: one hermes address, pushed to directly.</summary>
internal sealed class SshDestination(string alias, HermesAddress address, SshLogin login, IFileTransfer transfer) : IDestination
{
    public string Alias { get; } = alias;

    public string Type => SshDestinationFactory.TypeName;

    public Task<IReadOnlyList<DeliveryResult>> DeliverAsync(Snapshot snapshot, CancellationToken cancellationToken) =>
        DeliverAsync(snapshot, DeliveryOptions.Default, cancellationToken);

    public async Task<IReadOnlyList<DeliveryResult>> DeliverAsync(Snapshot snapshot, DeliveryOptions options, CancellationToken cancellationToken)
    {
        var result = await transfer.PushAsync(snapshot, address, login, gateway: null, options, cancellationToken).ConfigureAwait(false);
        return [result.ToDeliveryResult()];
    }

    /// <summary>One target: the address.</summary>
    public Task<IReadOnlyList<IDeliveryTarget>> ListTargetsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<IDeliveryTarget>>([new Target(this, address, login)]);

    private sealed class Target(SshDestination destination, HermesAddress address, SshLogin login) : IDeliveryTarget
    {
        public string Name => address.ToString();

        public string? Host => address.Host;

        public SshEndpoint? Ssh => new(address, login, null);

        public Task<IReadOnlyList<DeliveryResult>> DeliverAsync(Snapshot snapshot, DeliveryOptions options, CancellationToken cancellationToken) =>
            destination.DeliverAsync(snapshot, options, cancellationToken);
    }
}

/// <summary>Makes <c>"ssh"</c> destinations: <c>{"type": "ssh", "address": "HOST:PORT", "path": "/etc/opt", "ssh": {"user", "key", "sudo"}}</c>.</summary>
internal sealed class SshDestinationFactory(IFileTransfer transfer) : IDestinationFactory
{
    public const string TypeName = "ssh";

    public string Type => TypeName;

    public IDestination Create(DestinationDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        HermesAddress address;
        try
        {
            address = HermesAddress.Parse(definition.GetRequiredString("address"), definition.GetRequiredString("path"));
        }
        catch (ArgumentException e)
        {
            throw definition.Error(e.Message);
        }

        return new SshDestination(definition.Alias, address, definition.ReadSshLogin(), transfer);
    }
}
