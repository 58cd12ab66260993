using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace Courier.Testing;

/// <summary>How to start an <see cref="SshServer"/>.</summary>
public sealed class SshServerOptions
{
    /// <summary>The address sshd listens on: loopback unless the server runs in a network namespace.</summary>
    public string ListenAddress { get; init; } = "127.0.0.1";

    /// <summary>The port; a free loopback port when not set.</summary>
    public int? Port { get; init; }

    /// <summary>A network namespace (made by the test) to run sshd in.</summary>
    public string? NetworkNamespace { get; init; }

    /// <summary>Public keys accepted besides the server's own client key.</summary>
    public IReadOnlyList<string> ExtraAuthorizedKeys { get; init; } = [];

    /// <summary>The host key to serve; a new one when not set. Servers behind one address share theirs, as a load balancer's do.</summary>
    public SshKeyPair? HostKey { get; init; }

    /// <summary>More sshd_config lines; they win over the fixture's defaults (e.g. <c>LogLevel DEBUG1</c> to see forwards).</summary>
    public IReadOnlyList<string> ExtraConfigLines { get; init; } = [];

    /// <summary>
    /// A server whose every session first runs <paramref name="before"/> (POSIX shell, with the client's command in
    /// <c>$SSH_ORIGINAL_COMMAND</c>), then the command as sshd would have: to count, delay or interfere with remote runs.
    /// The script is written into <paramref name="directory"/>.
    /// </summary>
    public static SshServerOptions RunningFirst(TempDirectory directory, string before)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var wrapper = directory.WriteFile($"before-each-session-{Guid.NewGuid():N}.sh", $"#!/bin/sh\n{before}\nexec /bin/sh -c \"$SSH_ORIGINAL_COMMAND\"\n");
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new SshServerOptions { ExtraConfigLines = [$"ForceCommand {wrapper}"] };
    }
}

/// <summary>
/// A real OpenSSH server started by a test: its own host key, its own client key, its own port; it lets the current
/// user (root in CI) in with that client key only. Stopped and removed when disposed.
/// </summary>
public sealed class SshServer : IAsyncDisposable
{
    private readonly TempDirectory _directory;
    private readonly BackgroundProcess _process;

    private SshServer(TempDirectory directory, BackgroundProcess process, string host, int port, SshKeyPair clientKey, string hostPublicKey, string? networkNamespace)
    {
        _directory = directory;
        _process = process;
        Host = host;
        Port = port;
        ClientKey = clientKey;
        HostPublicKey = hostPublicKey;
        NetworkNamespace = networkNamespace;
    }

    /// <summary>The address the server listens on.</summary>
    public string Host { get; }

    /// <summary>The port the server listens on.</summary>
    public int Port { get; }

    /// <summary><c>HOST:PORT</c>, as hermes addresses and destinations write it.</summary>
    public string Endpoint => $"{Host}:{Port}";

    /// <summary>The user the server lets in: the user running the tests.</summary>
    public string User { get; } = Environment.UserName;

    /// <summary>A key the server accepts.</summary>
    public SshKeyPair ClientKey { get; }

    /// <summary>The server's host public key (<c>ssh-ed25519 AAAA...</c>).</summary>
    public string HostPublicKey { get; }

    /// <summary>The network namespace the server runs in, or null.</summary>
    public string? NetworkNamespace { get; }

    /// <summary>A known_hosts line for this server.</summary>
    public string KnownHostsLine => Port == 22 ? $"{Host} {HostPublicKey}" : $"[{Host}]:{Port} {HostPublicKey}";

    /// <summary>What sshd logged so far.</summary>
    public string Log => _process.Output;

    /// <summary>A directory of the server's own, removed with it.</summary>
    public string WorkDirectory => _directory.Path;

    /// <summary>Starts sshd on a free port with fresh host and client keys, letting in only the user running the tests.</summary>
    public static async Task<SshServer> StartAsync(SshServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SshServerOptions();
        var directory = TempDirectory.Create("courier-sshd");
        try
        {
            var hostKey = options.HostKey ?? await SshKeyPair.GenerateAsync(directory.Path, "host_key", cancellationToken);
            var clientKey = await SshKeyPair.GenerateAsync(directory.Path, "client_key", cancellationToken);
            var authorizedKeys = directory.WriteFile("authorized_keys", string.Join('\n', [clientKey.PublicKey, .. options.ExtraAuthorizedKeys]) + "\n");
            var port = options.Port ?? FreePort.Next();
            // sshd keeps the first value it reads for a keyword: the test's own lines come first.
            var config = new StringBuilder();
            foreach (var line in options.ExtraConfigLines)
            {
                config.AppendLine(line);
            }

            config
                .AppendLine($"Port {port}")
                .AppendLine($"ListenAddress {options.ListenAddress}")
                .AppendLine($"HostKey {hostKey.PrivateKeyPath}")
                .AppendLine($"AuthorizedKeysFile {authorizedKeys}")
                .AppendLine("PidFile none")
                .AppendLine("StrictModes no")
                .AppendLine("UsePAM no")
                .AppendLine("PermitRootLogin prohibit-password")
                .AppendLine("PasswordAuthentication no")
                .AppendLine("KbdInteractiveAuthentication no")
                .AppendLine("AllowTcpForwarding yes")
                .AppendLine("MaxStartups 100:30:200")
                .AppendLine("MaxSessions 100")
                .AppendLine("LogLevel VERBOSE");

            var configPath = directory.WriteFile("sshd_config", config.ToString());
            Directory.CreateDirectory("/run/sshd");
            var process = BackgroundProcess.Start(FindSshd(), ["-D", "-e", "-f", configPath], networkNamespace: options.NetworkNamespace);
            var server = new SshServer(directory, process, options.ListenAddress, port, clientKey, string.Join(' ', hostKey.PublicKey.Split(' ')[..2]), options.NetworkNamespace);
            try
            {
                await process.WaitForOutputAsync(line => line.Contains("Server listening on", StringComparison.Ordinal), $"sshd on port {port}", TimeSpan.FromSeconds(15));
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }

            return server;
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    /// <summary>Lets another key in.</summary>
    public void Authorize(string publicKey) => File.AppendAllText(Path.Combine(_directory.Path, "authorized_keys"), publicKey + "\n");

    /// <summary>Runs <paramref name="command"/> on the server through ssh with the client key (from <paramref name="fromNamespace"/> when given).</summary>
    public Task<BufferedCommandResult> RunClientAsync(IReadOnlyList<string> command, string? fromNamespace = null, CancellationToken cancellationToken = default)
    {
        string[] ssh =
        [
            "ssh", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-i", ClientKey.PrivateKeyPath,
            "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
            "-o", "ConnectTimeout=5", $"{User}@{Host}", "--", .. command,
        ];
        var wrapped = fromNamespace is null ? ssh : ["ip", "netns", "exec", fromNamespace, .. ssh];
        return Cli.Wrap(wrapped[0]).WithArguments(wrapped[1..]).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(cancellationToken);
    }

    /// <summary>
    /// Stops sshd (kills it after 2 s) and ends every connection it was serving, as a host going down does, e.g. to
    /// test an unreachable target. (sshd's per-connection processes outlive the listener: without this, a client's
    /// open connection, such as Courier's shared one, would go on working.)
    /// </summary>
    public async Task StopAsync()
    {
        var connections = Descendants(_process.ProcessId);
        await _process.StopAsync(TimeSpan.FromSeconds(2));
        KillQuietly(connections);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _process.DisposeAsync();
        _directory.Dispose();
    }

    private static List<int> Descendants(int pid)
    {
        var found = new List<int>();
        foreach (var child in ProcessProbe.Children(pid))
        {
            found.Add(child.Pid);
            found.AddRange(Descendants(child.Pid));
        }

        return found;
    }

    private static void KillQuietly(IEnumerable<int> pids)
    {
        foreach (var pid in pids)
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                process.Kill();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Already gone.
            }
        }
    }

    private static string FindSshd() =>
        new[] { "/usr/sbin/sshd", "/usr/local/sbin/sshd", "/sbin/sshd" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("sshd is not installed: run the tests with scripts/test.sh, which installs openssh-server.");
}
