namespace Courier;

/// <summary>An SSH gateway that carries port forwards (<c>"ssh-tunnel"</c> in destinations.json).</summary>
/// <param name="Host">The gateway host.</param>
/// <param name="Port">The gateway's SSH port.</param>
/// <param name="User">The user on the gateway.</param>
/// <param name="KeyPath">The private key for the gateway, or <see langword="null"/> for ssh's defaults.</param>
/// <remarks>Grows without breaking plugins: its positional parameters never change; new fields come as init-only properties with defaults (see the package README).</remarks>
public sealed record SshGateway(string Host, int Port, string User, string? KeyPath)
{
    /// <summary>A known_hosts file pinning the gateway's host key, or null.</summary>
    public string? KnownHostsFile { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{User}@{Host}:{Port}";
}
