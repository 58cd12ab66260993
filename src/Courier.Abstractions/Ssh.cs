namespace Courier;

/// <summary>How to log in to a hermes address for rsync.</summary>
/// <param name="User">The remote user (<c>docker</c> by default).</param>
/// <param name="KeyPath">The private key file, or <see langword="null"/> for ssh's own defaults.</param>
/// <param name="Sudo">Whether the remote side runs <c>sudo rsync</c>.</param>
/// <remarks>Grows without breaking plugins: its positional parameters never change; new fields come as init-only properties with defaults (see the package README).</remarks>
public sealed record SshLogin(string User, string? KeyPath, bool Sudo)
{
    /// <summary>A known_hosts file pinning the target's host key (a destination's <c>"ssh": {"known_hosts": ...}</c>), or null.</summary>
    public string? KnownHostsFile { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{User} (key {KeyPath ?? "default"}, sudo {Sudo})";
}

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

/// <summary>An open port forward. Disposing it ends the ssh process.</summary>
public interface ISshTunnel : IAsyncDisposable
{
    /// <summary>The loopback port that leads to the remote end.</summary>
    int LocalPort { get; }

    /// <summary>The local end as <c>127.0.0.1:PORT</c>.</summary>
    string LocalEndpoint { get; }
}

/// <summary>Opens SSH port forwards (<c>ssh -N -L</c>); an engine service plugins receive by injection.</summary>
public interface ISshTunnelFactory
{
    /// <summary>Opens and checks a forward; throws with the gateway named when it never comes up.</summary>
    Task<ISshTunnel> OpenAsync(SshTunnelRequest request, CancellationToken cancellationToken);
}

/// <summary>What one transfer did.</summary>
/// <param name="Target">The hermes address as people read it.</param>
/// <param name="Succeeded">Whether rsync finished with exit code 0.</param>
/// <param name="ExitCode">rsync's exit code (-1 when it never ran).</param>
/// <param name="Error">What went wrong, for people.</param>
/// <param name="BytesSent">Bytes rsync reported sending.</param>
/// <param name="Duration">How long it took.</param>
/// <remarks>Grows without breaking plugins: its positional parameters never change; new fields come as init-only properties with defaults (see the package README).</remarks>
public sealed record TransferResult(string Target, bool Succeeded, int ExitCode, string? Error, long BytesSent, TimeSpan Duration)
{
    /// <summary>The same outcome as a <see cref="DeliveryResult"/>.</summary>
    public DeliveryResult ToDeliveryResult() => new(Target, Succeeded, Error, BytesSent, Duration) { Attempts = Attempts };

    /// <summary>How many times the transfer was tried (retries of transient failures included).</summary>
    public int Attempts { get; init; } = 1;
}

/// <summary>Pushes snapshots to hermes addresses with rsync over SSH; an engine service plugins receive by injection.</summary>
public interface IFileTransfer
{
    /// <summary>
    /// Pushes <paramref name="snapshot"/> to <paramref name="target"/>: into <c>PATH/DestinationPath</c>, or into
    /// <c>PATH</c> itself when the snapshot delivers contents; files gone from the snapshot are deleted there.
    /// When <paramref name="gateway"/> is set, the SSH connection goes through a tunnel over it.
    /// Failures are returned, not thrown (cancellation excepted).
    /// </summary>
    Task<TransferResult> PushAsync(Snapshot snapshot, HermesAddress target, SshLogin login, SshGateway? gateway, CancellationToken cancellationToken);
}

/// <summary>Settings of the running Courier that plugins may need.</summary>
public interface ICourierEnvironment
{
    /// <summary>The local hermes directory (<c>/tmp/hermes-directory</c> by default).</summary>
    string HermesDirectory { get; }

    /// <summary>Where Courier keeps its state: git caches, snapshots, known_hosts, the last report.</summary>
    string StateDirectory { get; }

    /// <summary>The Armada API address for armada-local discovery, when configured.</summary>
    string? ArmadaApi { get; }

    /// <summary>How many targets one destination serves at once (Armada agents of a cluster, say).</summary>
    int MaxParallelDeliveries { get; }

    /// <summary>The deadlines of external steps (<c>Courier:Timeouts</c>); the defaults when a host sets none.</summary>
    CourierTimeouts Timeouts => new();
}

/// <summary>
/// The ssh options every Courier ssh run shares (BatchMode, connect timeout, the host key policy and known_hosts
/// file of this Courier, the identity file made private): an engine service, so that plugins which run OpenSSH
/// themselves (git does) behave exactly like the engine's transfers and tunnels.
/// </summary>
public interface ISshCommandBuilder
{
    /// <summary>The ssh executable (<c>ssh</c> on PATH by default).</summary>
    string SshExecutable { get; }

    /// <summary>
    /// The common options as separate arguments, including <c>-i KEY</c> and <c>IdentitiesOnly=yes</c> when
    /// <paramref name="keyPath"/> is set. A key readable by others is made mode 0600 first (or copied to a
    /// private file when it cannot be changed); a missing key throws <see cref="CourierConfigurationException"/>.
    /// </summary>
    IReadOnlyList<string> CommonArguments(string? keyPath);

    /// <summary>
    /// The common options, with the host key also checked against <paramref name="knownHostsFile"/> (a
    /// destination's pinned keys) when it is set.
    /// </summary>
    IReadOnlyList<string> CommonArguments(string? keyPath, string? knownHostsFile) => CommonArguments(keyPath);
}
