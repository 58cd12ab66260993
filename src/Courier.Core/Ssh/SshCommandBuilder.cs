using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Courier.Core.Ssh;

/// <summary>The ssh options shared by every ssh run of this Courier (transfers, tunnels, git).</summary>
internal sealed class SshCommandBuilder(IOptions<CourierOptions> options, SshConnectionPool connections) : ISshCommandBuilder
{
    private const UnixFileMode PrivateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly CourierOptions _options = options.Value;

    public string SshExecutable => _options.Ssh.Executable;

    public IReadOnlyList<string> CommonArguments(string? keyPath) => CommonArguments(keyPath, null);

    public Task<SshConnectionUse> ShareConnectionAsync(IReadOnlyList<string> sshArguments, string destination, CancellationToken cancellationToken) =>
        connections.AcquireAsync(SshExecutable, sshArguments, destination, cancellationToken);

    public IReadOnlyList<string> CommonArguments(string? keyPath, string? knownHostsFile)
    {
        var ssh = _options.Ssh;
        var arguments = new List<string>();
        if (!string.IsNullOrEmpty(ssh.ConfigFile))
        {
            arguments.AddRange(["-F", ssh.ConfigFile]);
        }

        var knownHosts = ssh.StrictHostKeyChecking == "no" ? "/dev/null" : KnownHostsFile();
        arguments.AddRange(
        [
            "-o", "BatchMode=yes",
            "-o", $"ConnectTimeout={ssh.ConnectTimeoutSeconds}",
            "-o", $"StrictHostKeyChecking={ssh.StrictHostKeyChecking}",
            "-o", $"UserKnownHostsFile={knownHosts}",
            // The operator's pinned keys (Courier:Ssh:KnownHostsFile): checked with the learned ones, never written to.
            "-o", $"GlobalKnownHostsFile={PinnedKnownHosts(knownHostsFile)}",
            "-o", "ServerAliveInterval=15",
            "-o", "ServerAliveCountMax=3",
            "-o", "LogLevel=ERROR",
        ]);
        if (keyPath is not null)
        {
            arguments.AddRange(["-i", PrepareKey(keyPath), "-o", "IdentitiesOnly=yes"]);
        }

        return arguments;
    }

    /// <summary>The operator's file and the destination's, as ssh's list of global known hosts files.</summary>
    private string PinnedKnownHosts(string? destinationFile)
    {
        if (destinationFile is not null && !File.Exists(destinationFile))
        {
            throw new CourierConfigurationException($"known_hosts file \"{destinationFile}\" does not exist.");
        }

        string?[] files = [_options.Ssh.KnownHostsFile, destinationFile];
        var existing = files.Where(f => !string.IsNullOrEmpty(f)).ToList();
        return existing.Count == 0 ? "/dev/null" : string.Join(' ', existing);
    }

    private string KnownHostsFile()
    {
        Directory.CreateDirectory(_options.StateDirectory);
        return Path.Combine(_options.StateDirectory, "known_hosts");
    }

    /// <summary>ssh refuses keys others can read: make the key private, or use a private copy when the file cannot be changed (read-only mounts).</summary>
    private string PrepareKey(string keyPath)
    {
        if (!File.Exists(keyPath))
        {
            throw new CourierConfigurationException($"SSH key \"{keyPath}\" does not exist.");
        }

        if (OperatingSystem.IsWindows() || (File.GetUnixFileMode(keyPath) & ~PrivateMode) == 0)
        {
            return keyPath;
        }

        try
        {
            File.SetUnixFileMode(keyPath, PrivateMode);
            return keyPath;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return PrivateCopy(keyPath, e);
        }
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private string PrivateCopy(string keyPath, Exception cause)
    {
        try
        {
            var keys = Path.Combine(_options.StateDirectory, "keys");
            Directory.CreateDirectory(keys);
            var name = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(keyPath))))[..16];
            var copy = Path.Combine(keys, $"{name}.key");
            using (var source = File.OpenRead(keyPath))
            using (var target = new FileStream(copy, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = PrivateMode }))
            {
                source.CopyTo(target);
            }

            File.SetUnixFileMode(copy, PrivateMode);
            return copy;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new CourierConfigurationException($"SSH key \"{keyPath}\" is readable by others and can be neither made private (mode 0600) nor copied: {cause.Message}", e);
        }
    }
}
