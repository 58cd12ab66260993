namespace Courier;

/// <summary>A port forward through a gateway to <paramref name="RemoteHost"/>:<paramref name="RemotePort"/>.</summary>
/// <param name="Gateway">The gateway to go through.</param>
/// <param name="RemoteHost">The host, as the gateway sees it.</param>
/// <param name="RemotePort">The port on that host.</param>
/// <remarks>Grows without breaking plugins: its positional parameters never change; new fields come as init-only properties with defaults (see the package README).</remarks>
public sealed record SshTunnelRequest(SshGateway Gateway, string RemoteHost, int RemotePort)
{
    /// <summary>
    /// Checks that the forward really carries traffic, given the local port; retried briefly until it returns
    /// <see langword="true"/>. When <see langword="null"/>, a TCP connect to the local port is the check.
    /// </summary>
    public Func<int, CancellationToken, Task<bool>>? ReadinessProbe { get; init; }
}
