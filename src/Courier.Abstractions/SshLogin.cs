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
