using System.ComponentModel;
using System.Text.RegularExpressions;
using Courier.Core.Processes;

namespace Courier.Core.Validation;

/// <summary>
/// A command check: <c>["nginx", "-t", "-p", "{snapshot}", "-c", "nginx/site.conf"]</c>, run in the snapshot's
/// directory through the engine's process runner (arguments as a list, never a shell string). <c>{snapshot}</c> and
/// <c>{revision}</c> in any element are replaced by the snapshot's directory and revision; the command also gets them,
/// and the source's id, as <c>COURIER_SNAPSHOT</c>, <c>COURIER_REVISION</c> and <c>COURIER_SOURCE</c>. A program
/// given with a <c>/</c> but not absolute (<c>./check.sh</c>, <c>bin/check</c>) is relative to the snapshot; one
/// without is looked up on <c>PATH</c>. Exit code 0 passes; anything else, or the deadline, fails.
/// </summary>
internal sealed partial class CommandCheck : ValidationCheck
{
    private readonly IReadOnlyList<string> _command;

    /// <summary>Creates the check from the program and its arguments, as configured.</summary>
    public CommandCheck(IReadOnlyList<string> command, TimeSpan? timeout)
        : base(Describe(command), timeout)
    {
        _command = command;
    }

    /// <inheritdoc />
    public override async Task<CheckOutcome> RunAsync(CheckRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var directory = run.Snapshot.LocalDirectory;
        var arguments = _command.Select(argument => Substitute(argument, run.Snapshot)).ToList();
        var program = arguments[0].Contains('/', StringComparison.Ordinal) && !Path.IsPathRooted(arguments[0])
            ? Path.GetFullPath(Path.Combine(directory, arguments[0]))
            : arguments[0];
        var process = new ProcessRun(program, arguments.Skip(1).ToList())
        {
            Deadline = run.Deadline,
            DeadlineName = run.DeadlineName,
            WorkingDirectory = directory,
            Environment = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["COURIER_SNAPSHOT"] = directory,
                ["COURIER_REVISION"] = run.Snapshot.Revision,
                ["COURIER_SOURCE"] = run.SourceId,
            },
        };

        try
        {
            var outcome = await run.Processes.RunAsync(process, cancellationToken).ConfigureAwait(false);
            return outcome.ExitCode == 0
                ? CheckOutcome.Pass
                : CheckOutcome.Fail(outcome.ExitCode, OutputCap.Combine(outcome.StandardOutput, outcome.StandardError));
        }
        catch (ProcessDeadlineException e)
        {
            return CheckOutcome.Fail(null, e.Message);
        }
        catch (Win32Exception e)
        {
            // A missing program, or one that may not be run, in the snapshot's directory.
            return CheckOutcome.Fail(null, $"{program} could not be started in {directory}: {e.Message}");
        }
    }

    /// <summary>The command as configured, as a person would type it (arguments with spaces or quotes quoted).</summary>
    private static string Describe(IReadOnlyList<string> command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Count == 0)
        {
            throw new ArgumentException("A command check needs its program.", nameof(command));
        }

        return string.Join(' ', command.Select(argument => PlainArgument().IsMatch(argument) ? argument : ShellQuoting.ForPosixShell(argument)));
    }

    private static string Substitute(string argument, Snapshot snapshot) =>
        Placeholder().Replace(argument, match => match.Value == "{snapshot}" ? snapshot.LocalDirectory : snapshot.Revision);

    [GeneratedRegex(@"\{(snapshot|revision)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^[A-Za-z0-9@%+=:,./_{}-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainArgument();
}
