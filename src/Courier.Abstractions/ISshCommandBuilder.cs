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
}
