namespace Courier;

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

    /// <summary>
    /// Lets one ssh run to <paramref name="destination"/> skip the handshake by going over the connection Courier
    /// keeps open to that target (<c>Courier:Ssh:ReuseConnections</c>), which is opened with
    /// <paramref name="sshArguments"/> (the run's own options, <c>-p PORT</c> included) when there is none yet. Add
    /// the returned <see cref="SshConnectionUse.Arguments"/> to the run's command line and dispose the use when the
    /// run has ended. The run connects on its own (empty arguments) when sharing is off, busy or not ready in time.
    /// </summary>
    /// <param name="sshArguments">The run's ssh options, without the destination or the remote command.</param>
    /// <param name="destination">The <c>user@host</c> (or <c>host</c>) the run logs in to.</param>
    /// <param name="cancellationToken">Ends the wait for a new shared connection.</param>
    Task<SshConnectionUse> ShareConnectionAsync(IReadOnlyList<string> sshArguments, string destination, CancellationToken cancellationToken) =>
        Task.FromResult(SshConnectionUse.Direct);
}
