using System.ComponentModel;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Courier.Core.Diagnostics;
using Courier.Core.Processes;
using Courier.Core.Ssh;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Courier.Core.Transfer;

/// <summary>
/// Pushes snapshots with rsync over OpenSSH, with the original Courier's flags (checksum, recursive, compress,
/// delete, <c>--exclude=.git*</c>, <c>sudo rsync</c> on request). A missing hermes path is made on the target first,
/// as the original's rsync did. Transient failures are tried again (<see cref="TransferRetries"/>). Each attempt runs in a
/// slot of the host's <see cref="TransferBudget"/>.
/// </summary>
internal sealed partial class RsyncTransfer(
    IOptions<CourierOptions> settings,
    ISshCommandBuilder ssh,
    ISshTunnelFactory tunnels,
    ProcessRunner processes,
    TransferBudget budget,
    TimeProvider time,
    CourierMeter meter,
    ILogger<RsyncTransfer> logger) : IFileTransfer
{
    private readonly Counter<long> _retries = TransferRetries.CreateCounter(meter.Meter);

    public Task<TransferResult> PushAsync(Snapshot snapshot, HermesAddress target, SshLogin login, SshGateway? gateway, CancellationToken cancellationToken) =>
        PushAsync(snapshot, target, login, gateway, DeliveryOptions.Default, cancellationToken);

    /// <summary>A push, or its dry run (<c>--dry-run --itemize-changes</c>, no <c>mkdir</c>), with the same retries.</summary>
    public Task<TransferResult> PushAsync(Snapshot snapshot, HermesAddress target, SshLogin login, SshGateway? gateway, DeliveryOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        return TransferRetries.RunAsync(settings.Value.Retries, time, _retries, ct => budget.RunAsync(attempt => PushOnceAsync(snapshot, target, login, gateway, options, attempt), ct), cancellationToken);
    }

    private async Task<TransferResult> PushOnceAsync(Snapshot snapshot, HermesAddress target, SshLogin login, SshGateway? gateway, DeliveryOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(login);
        var started = Stopwatch.StartNew();
        var atomic = options.Publish.Mode == PublishMode.Atomic;
        var targetName = DescribeTarget(snapshot, target);

        // A switch back to a release kept on the target never runs rsync; a target published in place keeps none.
        if (options.OnlyKeptRelease && !atomic)
        {
            return Failed(snapshot.SourceId, targetName, $"{targetName} is published in place and keeps no release of {snapshot.Revision} to switch back to; nothing was changed.", started);
        }

        // rsync --delete from an empty directory would wipe everything the destination has.
        if (!options.OnlyKeptRelease && (!Directory.Exists(snapshot.LocalDirectory) || !Directory.EnumerateFileSystemEntries(snapshot.LocalDirectory).Any()))
        {
            return Failed(snapshot.SourceId, targetName, $"refusing to push \"{snapshot.LocalDirectory}\": it is missing or empty, and rsync --delete would wipe the destination.", started);
        }

        if (atomic && snapshot.DeliversContents)
        {
            return Failed(snapshot.SourceId, targetName, AtomicWholeDirectoryError, started);
        }

        try
        {
            if (gateway is null)
            {
                var sshArguments = SshArguments(target, target.Host, target.Port, login);
                using var shared = await ssh.ShareConnectionAsync(sshArguments, $"{login.User}@{target.Host}", cancellationToken).ConfigureAwait(false);
                if (shared.LoginFailure is { } loginFailure)
                {
                    // ssh's exit code for a connection that failed: transient, so the attempt is tried again.
                    return Failed(snapshot.SourceId, targetName, loginFailure, started, exitCode: 255);
                }

                var route = new SshRoute(target.Ssh, target.Host, [.. sshArguments, .. shared.Arguments], targetName, shared.Abandon);
                return await DeliverAsync(snapshot, target, login, route, options, started, cancellationToken).ConfigureAwait(false);
            }

            var request = new SshTunnelRequest(gateway, target.Host, target.Port)
            {
                ReadinessProbe = (port, ct) => SshAnswersAsync(port, target, login, ct),
            };
            await using var tunnel = await tunnels.OpenAsync(request, cancellationToken).ConfigureAwait(false);
            var tunnelled = new SshRoute(target.Ssh, "127.0.0.1", SshArguments(target, "127.0.0.1", tunnel.LocalPort, login), $"{targetName} via {gateway}", SessionHung: null);
            return await DeliverAsync(snapshot, target, login, tunnelled, options, started, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return Failed(snapshot.SourceId, targetName, e.Message, started);
        }
    }

    /// <summary>The message for a whole-hermes-directory snapshot sent to an atomic destination.</summary>
    internal const string AtomicWholeDirectoryError =
        "\"publish\": \"atomic\" cannot be used for a source that delivers the whole hermes directory (no destination_path): " +
        "the hermes path holds other services' files and cannot be replaced by one link. Give the source a subdirectory and a destination_path, or publish it in place.";

    private Task<TransferResult> DeliverAsync(Snapshot snapshot, HermesAddress target, SshLogin login, SshRoute route, DeliveryOptions options, Stopwatch started, CancellationToken cancellationToken)
    {
        if (options.Publish.Mode == PublishMode.Atomic)
        {
            return PublishAtomicallyAsync(snapshot, target, login, route, options, started, cancellationToken);
        }

        var root = target.Path.TrimEnd('/');
        var fence = options.FencingToken is { } token && !options.DryRun
            ? TargetFence.InPlacePrefix(login.Sudo, TargetFence.InPlaceFile(root, snapshot.DestinationPath), token, route.TargetName)
            : string.Empty;
        var release = InPlaceGuard.Prefix(root, snapshot.DestinationPath, route.TargetName);
        var rsyncPath = root.Length == 0 || options.DryRun ? release + fence + RemoteRsync(login) : $"{release}{(login.Sudo ? "sudo -n " : string.Empty)}mkdir -p -- {ShellQuoting.ForPosixShell(root)} 2>/dev/null; {fence}{RemoteRsync(login)}";
        // In place, rsync writes the live files: --delay-updates keeps each directory's new files aside until the end.
        return RunRsyncAsync(snapshot, login, route, new RsyncCall(RemoteDirectory(snapshot, target), rsyncPath, options.DryRun, ["--delay-updates"]), started, cancellationToken);
    }

    // route.SessionHung ends the shared connection the run goes through, when rsync's output outlives rsync.
    private async Task<TransferResult> RunRsyncAsync(Snapshot snapshot, SshLogin login, SshRoute route, RsyncCall call, Stopwatch started, CancellationToken cancellationToken)
    {
        var remoteShell = ShellQuoting.JoinForRsyncRsh([ssh.SshExecutable, .. route.SshArguments]);
        var ioTimeout = settings.Value.Timeouts.RsyncIo;
        var arguments = new List<string>(ChangeDetection(snapshot))
        {
            "--recursive", "--compress", "--links", "--delete",
            "--exclude=.git*", $"--exclude=/{AtomicRelease.StateDirectory}/", "--stats", $"--timeout={(long)ioTimeout.TotalSeconds}",
            $"--rsh={remoteShell}",
            $"--rsync-path={call.RsyncPath}",
        };

        // A whole hermes directory follows the links of atomic releases in it (a Courier's own hermes directory).
        if (snapshot.DeliversContents)
        {
            arguments.Add("--copy-dirlinks");
        }

        arguments.AddRange(call.Arguments);

        // A dry run differs from a delivery by these two flags only, so it lists exactly what the delivery then changes.
        // Otherwise the list of changed files is only for the debug log: without it, a first delivery's output is its
        // statistics alone, not a line per file per target.
        if (call.DryRun)
        {
            arguments.AddRange(["--dry-run", "--itemize-changes"]);
        }
        else if (logger.IsEnabled(LogLevel.Debug))
        {
            arguments.Add("--itemize-changes");
        }

        var remoteHost = route.Host.Contains(':', StringComparison.Ordinal) ? $"[{route.Host}]" : route.Host;
        arguments.AddRange(["--", WithTrailingSlash(snapshot.LocalDirectory), $"{login.User}@{remoteHost}:{call.RemoteDirectory}"]);

        ProcessOutcome result;
        try
        {
            // rsync's own --timeout bounds a silent peer; the update's deadline bounds the whole run. Through a shared
            // connection, a hung remote command keeps rsync's standard error open in the master after rsync ends: the
            // master is then ended too.
            var run = new ProcessRun(settings.Value.Ssh.RsyncExecutable, arguments) { DeadlineName = "the update's deadline", OutputHeld = route.SessionHung };
            result = await processes.RunAsync(run, cancellationToken).ConfigureAwait(false);
        }
        catch (Win32Exception e)
        {
            return Failed(snapshot.SourceId, route.TargetName, $"could not run rsync ({settings.Value.Ssh.RsyncExecutable}): {e.Message}. Is rsync installed?", started);
        }

        LogRsyncOutput(route.TargetName, result.StandardOutput, result.StandardError);
        var elapsed = started.Elapsed;
        if (result.ExitCode != 0 && TargetFence.RefusalIn(result.StandardError) is { } refusal)
        {
            return Fenced(snapshot.SourceId, route.TargetName, refusal, started);
        }

        if (result.ExitCode != 0 && InPlaceGuard.RefusalIn(result.StandardError) is { } publishedAtomically)
        {
            return Failed(snapshot.SourceId, route.TargetName, publishedAtomically, started, InPlaceGuard.ExitCode);
        }

        if (result.ExitCode != 0)
        {
            var error = HostKeyMismatch.Describe(result.StandardError, route.Endpoint)
                ?? $"rsync to {route.TargetName} failed with exit code {result.ExitCode} ({RsyncExitCodes.Meaning(result.ExitCode)}): {RsyncOutput.Explain(result.ExitCode, result.StandardError, ioTimeout, settings.Value.Ssh.ConnectTimeoutSeconds)}";
            LogTransferFailed(snapshot.SourceId, route.TargetName, result.ExitCode, (long)elapsed.TotalMilliseconds, error);
            return new TransferResult(route.TargetName, false, result.ExitCode, error, 0, elapsed);
        }

        if (call.DryRun)
        {
            var changes = ItemizedChanges.Parse(result.StandardOutput);
            LogDryRun(snapshot.SourceId, route.TargetName, changes.Created.Count, changes.Updated.Count, changes.Deleted.Count, (long)elapsed.TotalMilliseconds);
            return new TransferResult(route.TargetName, true, 0, null, 0, elapsed) { Changes = changes };
        }

        var bytes = RsyncOutput.BytesSent(result.StandardOutput);
        LogTransferred(snapshot.SourceId, route.TargetName, result.ExitCode, (long)elapsed.TotalMilliseconds, bytes);
        return new TransferResult(route.TargetName, true, 0, null, bytes, elapsed);
    }

    /// <summary>
    /// How rsync finds what changed. By default it compares checksums, reading every file on both sides, as the
    /// original Courier did. A snapshot whose file times track its changes (git's) is compared by size and time,
    /// which reads only what changed; times are then kept on the target, except directories' (the hermes path
    /// itself may belong to another user).
    /// </summary>
    private static string[] ChangeDetection(Snapshot snapshot) =>
        snapshot.FileTimesTrackChanges ? ["--times", "--omit-dir-times"] : ["--checksum"];

    private List<string> SshArguments(HermesAddress target, string host, int port, SshLogin login)
    {
        var arguments = new List<string>(ssh.CommonArguments(login.KeyPath, login.KnownHostsFile))
        {
            "-p", port.ToString(CultureInfo.InvariantCulture),
        };
        if (host != target.Host || port != target.Port)
        {
            // Through a tunnel the host key is still checked against the real target's name.
            arguments.AddRange(["-o", $"HostKeyAlias={target.Host}:{target.Port}"]);
        }

        return arguments;
    }

    /// <summary>One login through the tunnel: the far end answers. Bounded like the connection itself (twice the connect timeout: connect, then log in).</summary>
    private async Task<bool> SshAnswersAsync(int port, HermesAddress target, SshLogin login, CancellationToken cancellationToken)
    {
        var outcome = await processes.RunAsync(
            ssh.SshExecutable,
            [.. SshArguments(target, "127.0.0.1", port, login), "-l", login.User, "--", "127.0.0.1", "true"],
            TimeSpan.FromSeconds(2 * settings.Value.Ssh.ConnectTimeoutSeconds),
            "twice Courier:Ssh:ConnectTimeoutSeconds",
            cancellationToken).ConfigureAwait(false);
        return outcome.ExitCode == 0;
    }

    private static string RemoteDirectory(Snapshot snapshot, HermesAddress target)
    {
        var root = target.Path.TrimEnd('/');
        return snapshot.DestinationPath is null ? $"{root}/" : $"{root}/{snapshot.DestinationPath}/";
    }

    private static string DescribeTarget(Snapshot snapshot, HermesAddress target) =>
        $"{target.Ssh}:{RemoteDirectory(snapshot, target)}";

    private static string WithTrailingSlash(string path) => path.EndsWith('/') ? path : path + "/";

    /// <summary>
    /// The remote rsync: <c>sudo rsync</c> on request. In place, <see cref="DeliverAsync"/> puts a best-effort
    /// <c>mkdir -p</c> of the hermes path before it, as the original's rsync made it (rsync's --mkpath needs 3.2.3 on
    /// both sides), with <c>sudo -n</c> so a sudoers entry allowing only rsync just skips it; ssh hands the command to
    /// the remote shell as one string, so the path is single-quoted. A dry run makes nothing: rsync itself then
    /// reports a missing directory's files as created.
    /// </summary>
    private static string RemoteRsync(SshLogin login) => login.Sudo ? "sudo rsync" : "rsync";
}
