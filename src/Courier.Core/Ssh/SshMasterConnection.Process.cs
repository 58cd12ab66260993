using System.ComponentModel;
using Courier.Core.Processes;

namespace Courier.Core.Ssh;

// The master's ssh process, run by ProcessRunner: its standard error kept, killed with its tree and reaped on close.
internal sealed partial class SshMasterConnection
{
    private void Run(ProcessRunner processes, string sshExecutable, IReadOnlyList<string> sshArguments)
    {
        DeleteSocket();

        // -n makes ssh read /dev/null and -N writes nothing to standard output: only standard error is redirected.
        var run = new ProcessRun(sshExecutable, [.. sshArguments, "-o", "ControlMaster=yes", "-o", "ControlPersist=no", "-o", $"ControlPath={_socket}", "-N", "-n", .. DestinationArguments()])
        {
            StandardError = _standardError,
            OnlyStandardError = true,
        };
        _process = RunAndReportAsync(processes, run);
        if (_process.IsCompleted)
        {
            return;
        }

        _ = WatchReadinessAsync();
        _ = EnforceLoginDeadlineAsync();
    }

    /// <summary>Runs the process to its end; on <see cref="_stop"/> it is killed with its tree and still reaped, then the cancellation rethrown.</summary>
    private async Task RunAndReportAsync(ProcessRunner processes, ProcessRun run)
    {
        ProcessOutcome outcome;
        try
        {
            outcome = await processes.RunAsync(run, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception)
        {
            LogFailed(Destination, e.Message);
            _ready.TrySetResult(false);
            return;
        }

        var said = _standardError.ToString().Trim();

        // Why it never logged in is written before the waiting runs are woken: they read it at once.
        if (!_ready.Task.IsCompleted)
        {
            NeverLoggedIn(said);
            _ready.TrySetResult(false);
        }

        LogEnded(Destination, outcome.ExitCode, said);
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
}
