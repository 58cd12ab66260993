using System.Diagnostics;

namespace Courier.Core.Ssh;

// The master's ssh process: started, its standard error kept, killed with its tree and reaped on close.
internal sealed partial class SshMasterConnection
{
    private void Run(string sshExecutable, IReadOnlyList<string> sshArguments)
    {
        DeleteSocket();

        // Its own Process rather than ProcessRunner: a master lives for minutes, one per target, so only its standard
        // error is redirected (~22 KB per process; three redirected streams cost ~55 KB, measured). -n makes ssh read
        // /dev/null and -N writes nothing to standard output.
        var process = new Process
        {
            StartInfo = new ProcessStartInfo(sshExecutable, [.. sshArguments, "-o", "ControlMaster=yes", "-o", "ControlPersist=no", "-o", $"ControlPath={_socket}", "-N", "-n", .. DestinationArguments()])
            {
                RedirectStandardError = true,
                UseShellExecute = false,
            },
        };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            process.Dispose();
            LogFailed(Destination, e.Message);
            _ready.TrySetResult(false);
            return;
        }

        _process = RunAndReportAsync(process);
        _ = WatchReadinessAsync();
        _ = EnforceLoginDeadlineAsync();
    }

    /// <summary>Waits for the process; on <see cref="_stop"/> kills its tree and still waits (so it is reaped), then rethrows.</summary>
    private async Task RunAndReportAsync(Process process)
    {
        using (process)
        {
            var reading = _standardError.ReadToEndAsync(process.StandardError);
            try
            {
                await process.WaitForExitAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                EndTree(process);
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                await DrainAsync(reading).ConfigureAwait(false);
                throw;
            }

            await DrainAsync(reading).ConfigureAwait(false);
            var said = _standardError.ToString().Trim();

            // Why it never logged in is written before the waiting runs are woken: they read it at once.
            if (!_ready.Task.IsCompleted)
            {
                NeverLoggedIn(said);
                _ready.TrySetResult(false);
            }

            LogEnded(Destination, process.ExitCode, said);
        }
    }

    /// <summary>
    /// It ended before logging in. Out of time (ssh's own ConnectTimeout: nothing answered, or no banner): the runs
    /// waiting for it fail with that, as connecting on their own would spend the connect budget again. Otherwise (a
    /// refusal, a wrong key): runs connect on their own for a while, and report what they meet themselves.
    /// </summary>
    private void NeverLoggedIn(string said)
    {
        var lastLine = said.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? string.Empty;
        if (lastLine.Contains("timed out", StringComparison.OrdinalIgnoreCase))
        {
            _loginFailure = $"no answer from {Destination} within Courier:Ssh:ConnectTimeoutSeconds ({_connectTimeoutSeconds} s). ssh said: {lastLine}";
            return;
        }

        FailedAt = _time.GetUtcNow();
    }

    /// <summary>The rest of ssh's standard error after it exited; bounded, in case something it started still holds the pipe.</summary>
    private static async Task DrainAsync(Task reading)
    {
        try
        {
            await reading.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
    }

    private static void EndTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It has exited already.
        }
    }
}
