using System.Diagnostics;
using System.Net.Sockets;
using Courier.Core.Processes;
using Microsoft.Extensions.Logging;

namespace Courier.Core.Ssh;

/// <summary>Opens <c>ssh -N -L</c> port forwards on a free loopback port and ends them when disposed.</summary>
internal sealed partial class SshTunnelFactory(ISshCommandBuilder ssh, ProcessRunner processes, ILogger<SshTunnelFactory> logger) : ISshTunnelFactory
{
    private static readonly TimeSpan ReadinessTimeout = TimeSpan.FromSeconds(20);

    public async Task<ISshTunnel> OpenAsync(SshTunnelRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        for (var attempt = 1; ; attempt++)
        {
            var stderr = new OutputTail(4096);
            var tunnel = Start(request, FreeLoopbackPort(), stderr);
            try
            {
                await WaitUntilReadyAsync(tunnel, request, stderr, cancellationToken).ConfigureAwait(false);
                return tunnel;
            }
            catch (Exception) when (attempt < 3 && LostTheLocalPort(tunnel, stderr))
            {
                // Another process took the free port between our check and ssh's bind: try another one.
                await tunnel.DisposeAsync().ConfigureAwait(false);
            }
            catch
            {
                await tunnel.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    private SshTunnel Start(SshTunnelRequest request, int localPort, OutputTail stderr)
    {
        var gateway = request.Gateway;
        var arguments = new List<string>(ssh.CommonArguments(gateway.KeyPath, gateway.KnownHostsFile))
        {
            "-N",
            "-o", "ExitOnForwardFailure=yes",
            "-L", $"127.0.0.1:{localPort}:{request.RemoteHost}:{request.RemotePort}",
            "-p", gateway.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-l", gateway.User,
            "--", gateway.Host,
        };

        var lifetime = new CancellationTokenSource();
        LogOpening(gateway.ToString(), request.RemoteHost, request.RemotePort, localPort);
        // It runs until the tunnel is disposed: cancelling its lifetime kills it (with its tree) and reaps it.
        var run = new ProcessRun(ssh.SshExecutable, arguments) { DeadlineName = "the tunnel's end", StandardError = stderr };
        return new SshTunnel(localPort, lifetime, processes.RunAsync(run, lifetime.Token), gateway, logger);
    }

    private static bool LostTheLocalPort(SshTunnel tunnel, OutputTail stderr)
    {
        var text = stderr.ToString();
        return tunnel.Process.IsCompleted &&
            (text.Contains("Address already in use", StringComparison.Ordinal) || text.Contains("cannot listen to port", StringComparison.Ordinal));
    }

    private static async Task WaitUntilReadyAsync(SshTunnel tunnel, SshTunnelRequest request, OutputTail stderr, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        var probe = request.ReadinessProbe ?? TcpConnectProbe;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (tunnel.Process.IsCompleted)
            {
                throw new InvalidOperationException($"SSH tunnel through gateway {request.Gateway} to {request.RemoteHost}:{request.RemotePort} failed: {Describe(stderr)}");
            }

            try
            {
                if (await probe(tunnel.LocalPort, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Not ready yet: the forward or the far end may still be coming up.
            }

            if (deadline.Elapsed > ReadinessTimeout)
            {
                throw new TimeoutException($"SSH tunnel through gateway {request.Gateway} to {request.RemoteHost}:{request.RemotePort} did not come up within {ReadinessTimeout.TotalSeconds:0} s. {Describe(stderr)}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Describe(OutputTail stderr)
    {
        var text = stderr.ToString().Trim();
        return text.Length == 0 ? "ssh said nothing." : $"ssh said: {text}";
    }

    private static async Task<bool> TcpConnectProbe(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Opening SSH tunnel through {Gateway} to {RemoteHost}:{RemotePort} on local port {LocalPort}")]
    private partial void LogOpening(string gateway, string remoteHost, int remotePort, int localPort);

    private sealed partial class SshTunnel(int localPort, CancellationTokenSource lifetime, Task<ProcessOutcome> process, SshGateway gateway, ILogger logger) : ISshTunnel
    {
        private int _disposed;

        public int LocalPort { get; } = localPort;

        public string LocalEndpoint => $"127.0.0.1:{LocalPort}";

        public Task<ProcessOutcome> Process { get; } = process;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1)
            {
                return;
            }

            await lifetime.CancelAsync().ConfigureAwait(false);
            try
            {
                await Process.ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or System.ComponentModel.Win32Exception)
            {
                // Ended as asked (killed and reaped), or ssh could not be started: either way nothing runs now.
            }

            lifetime.Dispose();
            LogClosed(gateway.ToString(), LocalPort);
        }

        [LoggerMessage(Level = LogLevel.Debug, Message = "Closed SSH tunnel through {Gateway} on local port {LocalPort}")]
        private partial void LogClosed(string gateway, int localPort);
    }
}
