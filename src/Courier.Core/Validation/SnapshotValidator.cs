using System.Diagnostics;
using System.Globalization;
using Courier.Core.Diagnostics;
using Courier.Core.Processes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Courier.Core.Validation;

/// <summary>
/// The engine's step between a source's pull and its fan-out: runs the source's checks on the snapshot, one after
/// another, each within its deadline. The first that fails ends the validation: nothing is delivered.
/// </summary>
internal sealed partial class SnapshotValidator(ProcessRunner processes, IOptions<CourierOptions> options, ILogger<SnapshotValidator> logger)
{
    /// <summary>
    /// Runs <paramref name="plan"/> on <paramref name="snapshot"/>; null when the plan is empty. Throws only when
    /// <paramref name="cancellationToken"/> is cancelled (a running command is then killed and reaped first).
    /// </summary>
    public async Task<ValidationReport?> ValidateAsync(string sourceId, Snapshot snapshot, ValidationPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.IsEmpty)
        {
            return null;
        }

        using var activity = CourierTelemetry.ActivitySource.StartActivity("courier.validate")?
            .SetTag("courier.source", sourceId).SetTag("courier.revision", snapshot.Revision);
        var total = Stopwatch.StartNew();
        foreach (var check in plan.Checks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (deadline, deadlineName) = DeadlineOf(check);
            var started = Stopwatch.StartNew();
            var outcome = await check.RunAsync(new CheckRun(snapshot, sourceId, deadline, deadlineName, processes), cancellationToken).ConfigureAwait(false);
            if (!outcome.Passed)
            {
                var failed = new ValidationReport(check.Name, Passed: false, outcome.ExitCode, outcome.Output ?? string.Empty);
                activity?.SetTag("courier.validation.check", check.Name).SetStatus(ActivityStatusCode.Error, FailureMessage(failed));
                LogCheckFailed(sourceId, snapshot.Revision, check.Name, outcome.ExitCode, failed.Output!);
                return failed;
            }

            LogCheckPassed(sourceId, snapshot.Revision, check.Name, (long)started.Elapsed.TotalMilliseconds);
        }

        LogValidated(sourceId, snapshot.Revision, plan.Checks.Count, (long)total.Elapsed.TotalMilliseconds);
        return new ValidationReport(plan.Describe(), Passed: true, ExitCode: null, Output: null);
    }

    /// <summary>The source's error for a failed validation: <c>validation failed, nothing was delivered: check json failed.</c></summary>
    public static string FailureMessage(ValidationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var exit = report.ExitCode is { } code ? string.Create(CultureInfo.InvariantCulture, $" with exit code {code}") : string.Empty;
        return $"validation failed, nothing was delivered: check {report.Check} failed{exit}.";
    }

    private (TimeSpan Deadline, string Name) DeadlineOf(ValidationCheck check) =>
        check.Timeout is { } own
            ? (own, string.Create(CultureInfo.InvariantCulture, $"the check's \"timeout\" ({own:c})"))
            : (options.Value.Timeouts.Validate, CourierTimeouts.Describe(nameof(CourierTimeouts.Validate), options.Value.Timeouts.Validate));

    [LoggerMessage(Level = LogLevel.Debug, Message = "Validation of {Source} at {Revision}: check {Check} passed in {ElapsedMs} ms")]
    private partial void LogCheckPassed(string source, string revision, string check, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Validated {Source} at {Revision}: {CheckCount} checks passed in {ElapsedMs} ms")]
    private partial void LogValidated(string source, string revision, int checkCount, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Validation of {Source} at {Revision} failed, nothing delivered: check {Check} failed (exit code {ExitCode}): {Output}")]
    private partial void LogCheckFailed(string source, string revision, string check, int? exitCode, string output);
}
