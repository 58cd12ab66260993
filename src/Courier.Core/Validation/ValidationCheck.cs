using Courier.Core.Processes;

namespace Courier.Core.Validation;

/// <summary>
/// One check of a source's <c>"validate"</c> list, run on the pulled snapshot before any destination: a built-in
/// check (<c>json</c>, <c>yaml</c>) or a command.
/// </summary>
internal abstract class ValidationCheck
{
    /// <summary>Creates a check named <paramref name="name"/> with its own deadline, if any.</summary>
    protected ValidationCheck(string name, TimeSpan? timeout)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Timeout = timeout;
    }

    /// <summary>How reports and logs name the check: <c>json</c>, <c>yaml</c>, or the command as configured.</summary>
    public string Name { get; }

    /// <summary>The check's own <c>"timeout"</c>; null when <c>Courier:Timeouts:Validate</c> applies.</summary>
    public TimeSpan? Timeout { get; }

    /// <summary>
    /// Runs the check within <see cref="CheckRun.Deadline"/>. A failure of the check (a parse error, a non-zero exit
    /// code, the deadline) is an outcome, never an exception; cancellation by <paramref name="cancellationToken"/> throws.
    /// </summary>
    public abstract Task<CheckOutcome> RunAsync(CheckRun run, CancellationToken cancellationToken);
}

/// <summary>What a check runs on and within.</summary>
/// <param name="Snapshot">The pulled snapshot: its directory and revision.</param>
/// <param name="SourceId">The id of the source that pulled it.</param>
/// <param name="Deadline">How long the check may take.</param>
/// <param name="DeadlineName">The setting the deadline comes from, for the failure: <c>Courier:Timeouts:Validate (00:01:00)</c>.</param>
/// <param name="Processes">The engine's process runner, for command checks.</param>
internal sealed record CheckRun(Snapshot Snapshot, string SourceId, TimeSpan Deadline, string DeadlineName, ProcessRunner Processes);

/// <summary>What one check found.</summary>
/// <param name="Passed">Whether the check passed.</param>
/// <param name="ExitCode">A command's exit code, when it ended by itself.</param>
/// <param name="Output">Why it failed (the end of a command's output, or the files that did not parse); null when it passed.</param>
internal sealed record CheckOutcome(bool Passed, int? ExitCode, string? Output)
{
    public static CheckOutcome Pass { get; } = new(true, null, null);

    public static CheckOutcome Fail(int? exitCode, string output) => new(false, exitCode, OutputCap.Tail(output));
}
