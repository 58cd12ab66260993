using Microsoft.Extensions.Logging;

namespace Courier.Destinations.Remote;

/// <summary>Reads <c>courier-remote</c> entries of destinations.json.</summary>
internal sealed class CourierRemoteDestinationFactory(
    IFileTransfer transfer,
    ISshTunnelFactory tunnels,
    IHttpClientFactory httpClients,
    ICourierEnvironment environment,
    ILoggerFactory loggers) : IDestinationFactory
{
    public const string TypeName = "courier-remote";

    public string Type => TypeName;

    public IDestination Create(DestinationDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var address = definition.GetRequiredString("address");
        address = address.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? address["http://".Length..].TrimEnd('/') : address;
        try
        {
            SplitHttpAddress(address);
        }
        catch (ArgumentException e)
        {
            throw definition.Error($"\"address\" must be the remote Courier's HOST or HOST:PORT: {e.Message}");
        }

        var login = definition.ReadSshLogin();
        return new CourierRemoteDestination(
            definition.Alias,
            address,
            ReadGateway(definition, login),
            login,
            transfer,
            tunnels,
            httpClients,
            environment.Timeouts,
            loggers.CreateLogger<CourierRemoteDestination>());
    }

    /// <summary>The host and port of an HTTP address written as HOST or HOST:PORT (port 80 when none is given).</summary>
    internal static (string Host, int Port) SplitHttpAddress(string address)
    {
        var (host, port) = HermesAddress.SplitEndpoint(address);
        var portGiven = address.StartsWith('[') ? address.Contains("]:", StringComparison.Ordinal) : address.Contains(':', StringComparison.Ordinal);
        return (host, portGiven ? port : 80);
    }

    private static SshGateway? ReadGateway(DestinationDefinition definition, SshLogin login)
    {
        if (definition.GetObject("ssh-tunnel") is not { } tunnel)
        {
            return null;
        }

        var host = definition.GetString(tunnel, "host");
        if (string.IsNullOrWhiteSpace(host) || host.StartsWith('-') || host.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw definition.Error("\"ssh-tunnel\" needs \"host\", the SSH gateway's host name or address.");
        }

        var key = definition.GetString(tunnel, "key");
        var knownHosts = definition.GetString(tunnel, "known_hosts");
        return new SshGateway(
            host,
            definition.GetPort(tunnel, "port", 22),
            definition.GetString(tunnel, "user") ?? login.User,
            key is null ? login.KeyPath : definition.ResolvePath(key))
        {
            // The gateway's keys may sit in the destination's pinned file or in a file of its own.
            KnownHostsFile = knownHosts is null ? login.KnownHostsFile : definition.ResolvePath(knownHosts),
        };
    }
}
