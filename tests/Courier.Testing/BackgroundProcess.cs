using System.Text;
using CliWrap;

namespace Courier.Testing;

/// <summary>
/// A long-running process started by a fixture: its output is collected, and it is stopped (politely, then by
/// force) when the fixture is done with it.
/// </summary>
public sealed class BackgroundProcess : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private readonly CancellationTokenSource _graceful = new();
    private readonly CancellationTokenSource _forceful = new();
    private readonly Task<CommandResult?> _run;
    private readonly Action<string>? _onLine;

    private BackgroundProcess(string executable, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string?>? environment, string? workingDirectory, Action<string>? onLine)
    {
        _onLine = onLine;
        var command = Cli.Wrap(executable)
            .WithArguments(arguments)
            .WithEnvironmentVariables(environment ?? new Dictionary<string, string?>())
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(PipeTarget.ToDelegate(Collect))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(Collect));
        if (workingDirectory is not null)
        {
            command = command.WithWorkingDirectory(workingDirectory);
        }

        _run = RunAsync(command);
    }

    /// <summary>Everything the process printed so far, standard output and error interleaved.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => _run.IsCompleted;

    /// <summary>The process id (of <c>ip netns exec</c>'s program, which it execs into).</summary>
    public int ProcessId { get; private set; }

    /// <summary>The exit code once the process has ended, else null.</summary>
    public int? ExitCode => _run.IsCompletedSuccessfully ? _run.Result?.ExitCode : null;

    /// <summary>
    /// Starts <paramref name="executable"/>; with <paramref name="networkNamespace"/>, inside that network namespace
    /// through <c>ip netns exec</c> (which execs, so the process is the program itself).
    /// </summary>
    public static BackgroundProcess Start(
        string executable,
        IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? networkNamespace = null,
        string? workingDirectory = null,
        Action<string>? onLine = null) =>
        networkNamespace is null
            ? new BackgroundProcess(executable, arguments, environment, workingDirectory, onLine)
            : new BackgroundProcess("ip", ["netns", "exec", networkNamespace, executable, .. arguments], environment, workingDirectory, onLine);

    /// <summary>Waits until a line of output satisfies <paramref name="isReady"/>; throws with the output when the process exits first or time runs out.</summary>
    public async Task WaitForOutputAsync(Func<string, bool> isReady, string what, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output.Split('\n').Any(isReady))
        {
            if (HasExited)
            {
                throw new InvalidOperationException($"{what} exited (code {ExitCode}) before it was ready:\n{Output}");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what} was not ready after {timeout.TotalSeconds} s:\n{Output}");
            }

            await Task.Delay(25);
        }
    }

    /// <summary>Asks the process to end (SIGINT), and kills it if it has not ended within <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan? grace = null)
    {
        if (!_run.IsCompleted)
        {
            _forceful.CancelAfter(grace ?? TimeSpan.FromSeconds(5));
            await _graceful.CancelAsync();
        }

        await _run;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _graceful.Dispose();
        _forceful.Dispose();
    }

    private void Collect(string line)
    {
        lock (_output)
        {
            _output.Append(line).Append('\n');
        }

        _onLine?.Invoke(line);
    }

    private async Task<CommandResult?> RunAsync(Command command)
    {
        try
        {
            var run = command.ExecuteAsync(_forceful.Token, _graceful.Token);
            ProcessId = run.ProcessId;
            return await run;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }
}
