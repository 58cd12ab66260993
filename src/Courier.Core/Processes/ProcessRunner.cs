using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using CliWrap;

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
/// Runs every external process of the engine (rsync, ssh): arguments as a list, a deadline and a cancellation
/// token. On either, the whole process tree is killed; in every case the process is waited for (and so reaped)
/// before this returns. Output is kept bounded.
/// </summary>
internal sealed class ProcessRunner
{
    /// <summary>The most characters of each output stream kept (the last ones).</summary>
    public const int OutputLimit = 64 * 1024;

    /// <summary>
    /// Runs <paramref name="executable"/> to its end. When <paramref name="deadline"/> passes first, the process tree
    /// is killed and a <see cref="ProcessDeadlineException"/> says "<paramref name="deadlineName"/>".
    /// A missing executable throws <see cref="Win32Exception"/>.
    /// </summary>
    public async Task<ProcessOutcome> RunAsync(string executable, IReadOnlyList<string> arguments, TimeSpan deadline, string deadlineName, CancellationToken cancellationToken)
    {
        var stdout = new OutputTail();
        var stderr = new OutputTail();
        var started = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (deadline != Timeout.InfiniteTimeSpan)
        {
            timeout.CancelAfter(deadline);
        }

        try
        {
            // CliWrap kills the entire process tree on cancellation and awaits its exit.
            var result = await Cli.Wrap(executable)
                .WithArguments(arguments)
                .WithValidation(CommandResultValidation.None)
                .WithStandardOutputPipe(PipeTarget.ToDelegate(stdout.Append))
                .WithStandardErrorPipe(PipeTarget.ToDelegate(stderr.Append))
                .ExecuteAsync(timeout.Token)
                .ConfigureAwait(false);
            return new ProcessOutcome(result.ExitCode, stdout.ToString(), stderr.ToString(), started.Elapsed);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var said = stderr.ToString().Trim();
            throw new ProcessDeadlineException($"{Path.GetFileName(executable)} gave no result within {deadlineName}; it was ended.{(said.Length > 0 ? $" It said: {said}" : string.Empty)}");
        }
    }

    /// <summary>Keeps the last <see cref="OutputLimit"/> characters of a stream, line by line.</summary>
    private sealed class OutputTail
    {
        private readonly StringBuilder _text = new();

        public void Append(string line)
        {
            lock (_text)
            {
                _text.Append(line).Append('\n');
                if (_text.Length > OutputLimit)
                {
                    _text.Remove(0, _text.Length - OutputLimit);
                }
            }
        }

        public override string ToString()
        {
            lock (_text)
            {
                return _text.ToString();
            }
        }
    }
}
