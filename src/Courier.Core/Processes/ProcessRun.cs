namespace Courier.Core.Processes;

/// <summary>One process for <see cref="ProcessRunner"/> to run: what to start, its deadline and its surroundings.</summary>
/// <param name="Executable">The program.</param>
/// <param name="Arguments">Its arguments, one element each (never a shell string).</param>
internal sealed record ProcessRun(string Executable, IReadOnlyList<string> Arguments)
{
    /// <summary>The whole run; <see cref="Timeout.InfiniteTimeSpan"/> when only the caller's token bounds it.</summary>
    public TimeSpan Deadline { get; init; } = Timeout.InfiniteTimeSpan;

    /// <summary>The setting the deadline comes from, for the error (<c>Courier:Timeouts:Validate (00:01:00)</c>).</summary>
    public string DeadlineName { get; init; } = "its deadline";

    /// <summary>The directory it runs in; the host's when null.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Variables added to the environment it inherits.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Told when the process has ended but its output is still held open by something it started (an ssh session
    /// through a shared connection whose remote command hangs): whoever owns that holder ends it.
    /// </summary>
    public Action? OutputHeld { get; init; }

    /// <summary>Where standard error goes while it runs, for a caller that reads it before the end (a tunnel's readiness); a new tail when null.</summary>
    public OutputTail? StandardError { get; init; }

    /// <summary>
    /// Only standard error is redirected (standard input and output are the host's, for a process that reads and
    /// writes neither, as <c>ssh -n -N</c>): a shared connection's master lives for minutes, one per target, and one
    /// redirected stream costs ~22 KB per process where three cost ~55 KB (measured).
    /// </summary>
    public bool OnlyStandardError { get; init; }
}
