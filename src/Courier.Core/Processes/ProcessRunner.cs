using System.ComponentModel;
using System.Diagnostics;

namespace Courier.Core.Processes;

/// <summary>What a finished process did: its exit code and the tail of its output.</summary>
/// <param name="ExitCode">The exit code.</param>
/// <param name="StandardOutput">Standard output (its last <see cref="ProcessRunner.OutputLimit"/> characters).</param>
/// <param name="StandardError">Standard error (its last <see cref="ProcessRunner.OutputLimit"/> characters).</param>
/// <param name="Elapsed">How long it ran.</param>
internal sealed record ProcessOutcome(int ExitCode, string StandardOutput, string StandardError, TimeSpan Elapsed);

/// <summary>A process ended because its deadline passed; the message names the setting.</summary>
internal sealed class ProcessDeadlineException(string message) : TimeoutException(message);

/// <summary>
/// Runs the engine's external processes (rsync, ssh steps, probes, tunnels and shared connections, validation
/// commands): arguments as a list, a deadline and a cancellation token. On either, the whole process tree is killed;
/// in every case the process is waited for (and so reaped) before this returns. Output is kept bounded, and so is the
/// wait for it once the process has ended.
/// </summary>
/// <remarks>
/// System.Diagnostics.Process rather than CliWrap: CliWrap waits for the end of every output stream before it returns,
/// and something the process started may hold them open past its end. OpenSSH's shared connection does: the master
/// is handed a session's standard error and keeps it until the server ends the session, which a hung remote command
/// never does. Here that wait is bounded and <see cref="ProcessRun.OutputHeld"/> is told, so the holder can be ended.
/// </remarks>
internal sealed class ProcessRunner
{
    /// <summary>The most characters of each output stream kept (the last ones).</summary>
    public const int OutputLimit = 64 * 1024;

    /// <summary>
    /// Runs <paramref name="executable"/> to its end. When <paramref name="deadline"/> passes first, the process tree
    /// is killed and a <see cref="ProcessDeadlineException"/> says "<paramref name="deadlineName"/>".
    /// A missing executable throws <see cref="Win32Exception"/>.
    /// </summary>
    public Task<ProcessOutcome> RunAsync(string executable, IReadOnlyList<string> arguments, TimeSpan deadline, string deadlineName, CancellationToken cancellationToken) =>
        RunAsync(new ProcessRun(executable, arguments) { Deadline = deadline, DeadlineName = deadlineName }, cancellationToken);

    /// <summary>Runs <paramref name="run"/> to its end; see the other overload.</summary>
    public async Task<ProcessOutcome> RunAsync(ProcessRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var stdout = new OutputTail(OutputLimit);
        var stderr = run.StandardError ?? new OutputTail(OutputLimit);
        var started = Stopwatch.StartNew();
        using var process = new Process { StartInfo = StartInfo(run) };
        process.Start();
        if (!run.OnlyStandardError)
        {
            try
            {
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // It ended (and closed its end) before its input was closed.
            }
        }

        var reading = run.OnlyStandardError
            ? stderr.ReadToEndAsync(process.StandardError)
            : Task.WhenAll(stdout.ReadToEndAsync(process.StandardOutput), stderr.ReadToEndAsync(process.StandardError));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (run.Deadline != Timeout.InfiniteTimeSpan)
        {
            timeout.CancelAfter(run.Deadline);
        }

        var endedItself = true;
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            endedItself = false;
            KillTree(process);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        var succeeded = endedItself && process.ExitCode == 0;
        await DrainAsync(reading, succeeded ? HeldOutput.GraceAfterSuccess : HeldOutput.Grace, run.OutputHeld).ConfigureAwait(false);
        if (!endedItself)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var said = stderr.ToString().Trim();
            throw new ProcessDeadlineException($"{Path.GetFileName(run.Executable)} gave no result within {run.DeadlineName}; it was ended.{(said.Length > 0 ? $" It said: {said}" : string.Empty)}");
        }

        return new ProcessOutcome(process.ExitCode, stdout.ToString(), stderr.ToString(), started.Elapsed);
    }

    private static ProcessStartInfo StartInfo(ProcessRun run)
    {
        var startInfo = new ProcessStartInfo(run.Executable, run.Arguments)
        {
            RedirectStandardInput = !run.OnlyStandardError,
            RedirectStandardOutput = !run.OnlyStandardError,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (run.WorkingDirectory is { } directory)
        {
            startInfo.WorkingDirectory = directory;
        }

        foreach (var (name, value) in run.Environment)
        {
            startInfo.Environment[name] = value;
        }

        return startInfo;
    }

    /// <summary>
    /// The output to its end: at once when nothing else holds it; otherwise <paramref name="outputHeld"/> is told and
    /// the output waited for a while longer, then given up (disposing the process closes this side of the pipes).
    /// </summary>
    private static async Task DrainAsync(Task reading, TimeSpan grace, Action? outputHeld)
    {
        if (await EndsWithinAsync(reading, grace).ConfigureAwait(false))
        {
            return;
        }

        outputHeld?.Invoke();
        await EndsWithinAsync(reading, HeldOutput.Limit).ConfigureAwait(false);
    }

    private static async Task<bool> EndsWithinAsync(Task task, TimeSpan limit)
    {
        try
        {
            await task.WaitAsync(limit).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    internal static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception)
        {
            // It has exited already.
        }
    }
}
