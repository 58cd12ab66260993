using System.Diagnostics;
using Courier.Core.Diagnostics;
using Courier.Core.Rollouts;
using Courier.Core.Validation;
using Microsoft.Extensions.Logging;

namespace Courier.Core.Updates;

/// <summary>The update of one source: pull, validate, and deliver unless the source is held.</summary>
internal sealed partial class CourierUpdater
{
    /// <summary>One source's update within an update: what it checks, whether it is a dry run, and how it delivers.</summary>
    private sealed record SourceRun(
        ISource Source,
        ValidationPlan Validation,
        RolloutPlan? Rollout,
        bool DryRun,
        Func<ISource, Snapshot, RolloutPlan?, CancellationToken, Task<Delivered>> Deliver);

    /// <summary>One update of a source at a time: a trigger arriving meanwhile joins the source's pending update.</summary>
    private Task<SourceReport> UpdateSourceAsync(SourceRun run, DeliveryScope scope, string trigger, CancellationToken cancellationToken) =>
        coordinator.UpdateAsync(run.Source, scope, trigger, ct => PullAndDeliverWithinDeadlineAsync(run, ct), cancellationToken);

    /// <summary>One run of a source's update, ended at <c>Courier:Timeouts:Update</c>: a hung source costs itself only.</summary>
    private async Task<SourceReport> PullAndDeliverWithinDeadlineAsync(SourceRun run, CancellationToken cancellationToken)
    {
        var limit = options.Value.Timeouts.Update;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        try
        {
            return await PullAndDeliverAsync(run, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var error = $"the update did not finish within {CourierTimeouts.Describe(nameof(CourierTimeouts.Update), limit)} and was ended.";
            LogPullFailed(run.Source.Id, error);
            return new SourceReport(run.Source.Id, run.Source.Type, null, error, []);
        }
    }

    private async Task<SourceReport> PullAndDeliverAsync(SourceRun run, CancellationToken cancellationToken)
    {
        var source = run.Source;
        using var scope = logger.BeginScope("Source {Source}", source.Id);
        Snapshot snapshot;
        using (var pull = CourierTelemetry.ActivitySource.StartActivity("courier.pull")?.SetTag("courier.source", source.Id))
        {
            try
            {
                snapshot = await source.PullAsync(cancellationToken).ConfigureAwait(false);
                pull?.SetTag("courier.revision", snapshot.Revision);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                pull?.SetStatus(ActivityStatusCode.Error, e.Message);
                LogPullFailed(source.Id, e.Message);
                return new SourceReport(source.Id, source.Type, null, $"pull failed, nothing was delivered: {e.Message}", []);
            }
        }

        LogPulled(source.Id, snapshot.Revision);
        var validated = await validator.ValidateAsync(source.Id, snapshot, run.Validation, cancellationToken).ConfigureAwait(false);
        if (validated is { Passed: false })
        {
            // Before any destination: every target keeps the revision it had.
            return new SourceReport(source.Id, source.Type, snapshot.Revision, SnapshotValidator.FailureMessage(validated), []) { Validation = validated };
        }

        // Asked last, right before the destinations: a hold placed during the pull or the checks counts.
        HoldReport? held;
        try
        {
            held = (await holds.GetAsync(source.Id, cancellationToken).ConfigureAwait(false))?.ToReport();
        }
        catch (HoldStateException e)
        {
            return new SourceReport(source.Id, source.Type, snapshot.Revision, $"nothing was delivered: {e.Message}", []) { Validation = validated };
        }

        if (held is not null && !run.DryRun)
        {
            LogHeld(source.Id, snapshot.Revision, held.Since, held.Reason ?? "no reason given");
            return new SourceReport(source.Id, source.Type, snapshot.Revision, null, []) { Validation = validated, Held = held };
        }

        // A dry run of a held source runs as a dry run: it changes nothing anyway, and says what a release would.
        var delivered = await run.Deliver(source, snapshot, run.Rollout, cancellationToken).ConfigureAwait(false);
        return new SourceReport(source.Id, source.Type, snapshot.Revision, null, delivered.Destinations) { Validation = validated, Held = held, Rollout = delivered.Rollout };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pulled {Source} at {Revision}")]
    private partial void LogPulled(string source, string revision);

    [LoggerMessage(Level = LogLevel.Error, Message = "Pull of {Source} failed, nothing delivered: {Error}")]
    private partial void LogPullFailed(string source, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Source} is held since {Since} ({Reason}): pulled {Revision}, delivered nothing")]
    private partial void LogHeld(string source, string revision, DateTimeOffset since, string reason);
}
