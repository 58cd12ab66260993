using System.Diagnostics;
using Courier.Core.Cluster;
using Courier.Core.Configuration;
using Courier.Core.Diagnostics;
using Courier.Core.History;
using Courier.Core.Rollouts;
using Courier.Core.Validation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Courier.Core.Updates;

/// <summary>
/// Runs updates: reads the configuration afresh, picks the sources a trigger concerns, pulls each (one update of
/// a source at a time, sources in parallel), runs the source's <c>"validate"</c> checks on what it pulled and, when
/// they pass and the source is not held, delivers to every destination of the source, then reports.
/// </summary>
internal sealed partial class CourierUpdater(
    HermesConfigurationLoader configuration,
    IFileTransfer transfer,
    SourceUpdateCoordinator coordinator,
    SnapshotValidator validator,
    RolloutRunner rollouts,
    TargetSharing sharing,
    KeptSnapshots kept,
    IOptions<CourierOptions> options,
    TimeProvider time,
    IEnumerable<IUpdateReportSink> reportSinks,
    IReportStore history,
    ISourceHolds holds,
    IClusterMembership membership,
    ILogger<CourierUpdater> logger) : ICourierUpdater
{
    /// <summary>This member's name in reports; null on a single node.</summary>
    private string? Member => membership.IsClustered ? membership.MemberName : null;

    private static readonly DeliveryOptions DryRunOptions = new() { DryRun = true };

    /// <summary>Delivers the sources <paramref name="trigger"/> concerns to their destinations.</summary>
    public Task<UpdateReport> UpdateAsync(UpdateTrigger trigger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        return UpdateAsync([trigger], cancellationToken);
    }

    /// <summary>
    /// Delivers the sources any of <paramref name="triggers"/> concerns (each source once), e.g. a GitLab push that
    /// names its repository by several URLs.
    /// </summary>
    public Task<UpdateReport> UpdateAsync(IReadOnlyList<UpdateTrigger> triggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(triggers);
        var destinations = new Lazy<LoadedDestinations>(configuration.LoadDestinations, LazyThreadSafetyMode.ExecutionAndPublication);
        return RunAsync(
            string.Join(" or ", triggers.Select(Describe)),
            DeliveryScope.ConfiguredDestinations,
            triggers,
            async (source, snapshot, rollout, ct) => rollout is not null
                ? await RollOutAsync(source, snapshot, destinations.Value, rollout, ct).ConfigureAwait(false)
                : membership.IsClustered
                    ? await DeliverSharedAsync(source, snapshot, destinations.Value, ct).ConfigureAwait(false)
                    : new Delivered(await DestinationFanOut.DeliverAsync(source, snapshot, destinations.Value, options.Value.MaxParallelTransfers, DeliveryOptions.Default, ct).ConfigureAwait(false)),
            cancellationToken);
    }

    /// <summary>In a cluster, every target of the source at once, split across the members like one rollout wave.</summary>
    private async Task<Delivered> DeliverSharedAsync(ISource source, Snapshot snapshot, LoadedDestinations destinations, CancellationToken cancellationToken)
    {
        var (targets, errors) = await RolloutTargets.ListAsync(source, snapshot, destinations, cancellationToken).ConfigureAwait(false);
        var results = await sharing.DeliverAsync(targets, snapshot, DeliveryOptions.Default, share: true, cancellationToken).ConfigureAwait(false);
        return new Delivered(TargetReports.Reports(targets, results, [], errors, source));
    }

    private async Task<Delivered> RollOutAsync(ISource source, Snapshot snapshot, LoadedDestinations destinations, RolloutPlan rollout, CancellationToken cancellationToken)
    {
        var (reports, report) = await rollouts.RunAsync(source, snapshot, destinations, rollout, cancellationToken).ConfigureAwait(false);
        if (report.Outcome == RolloutReport.Stopped)
        {
            // So that the next hook or poll does not push the same revision again: recorded, not delivered, until released.
            var reason = $"rollout of {snapshot.Revision} stopped after wave {report.StoppedAtWave}: {report.Reason}";
            await holds.HoldAsync(source.Id, reason.Length > 500 ? reason[..497] + "..." : reason, cancellationToken).ConfigureAwait(false);
        }

        return new Delivered(reports, report);
    }

    /// <summary>
    /// Pulls and validates what <paramref name="triggers"/> concern, then asks every target what a delivery would
    /// change, changing nothing; each result carries the revision of the last successful delivery to it in the history.
    /// </summary>
    public async Task<UpdateReport> DryRunAsync(IReadOnlyList<UpdateTrigger> triggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(triggers);
        var destinations = new Lazy<LoadedDestinations>(configuration.LoadDestinations, LazyThreadSafetyMode.ExecutionAndPublication);
        var status = new Lazy<Task<CourierStatus>>(async () => StatusBuilder.Build(await history.AllAsync(CancellationToken.None).ConfigureAwait(false), time.GetUtcNow()), LazyThreadSafetyMode.ExecutionAndPublication);
        return await RunAsync(
            string.Join(" or ", triggers.Select(Describe)),
            DeliveryScope.DryRun,
            triggers,
            async (source, snapshot, _, ct) =>
            {
                var reports = await DestinationFanOut.DeliverAsync(source, snapshot, destinations.Value, options.Value.MaxParallelTransfers, DryRunOptions, ct).ConfigureAwait(false);
                var known = (await status.Value.ConfigureAwait(false)).Sources.FirstOrDefault(s => s.Source == source.Id)?.Targets ?? [];
                return new Delivered([.. reports.Select(report => report with
                {
                    Deliveries = [.. report.Deliveries.Select(delivery => delivery with
                    {
                        CurrentRevision = delivery.CurrentRevision ?? known.FirstOrDefault(t => t.Destination == report.Alias && t.Target == delivery.Target)?.LastSuccess?.Revision,
                    })],
                })]);
            },
            cancellationToken,
            dryRun: true).ConfigureAwait(false);
    }

    /// <summary>
    /// Delivers every source to one hermes address (<c>POST /update_hermes</c>), with the host's SSH login, published
    /// as the source's destinations publish (<see cref="HermesAddressPublishing"/>).
    /// </summary>
    public Task<UpdateReport> UpdateHermesAsync(HermesAddress target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var login = configuration.DefaultSshLogin();
        var destinations = new Lazy<LoadedDestinations>(configuration.LoadDestinations, LazyThreadSafetyMode.ExecutionAndPublication);
        return RunAsync(
            $"update_hermes {target}",
            DeliveryScope.HermesAddress(target),
            [UpdateTrigger.All],
            async (source, snapshot, _, ct) =>
            {
                var publish = new DeliveryOptions { Publish = HermesAddressPublishing.For(source, snapshot, destinations.Value) };
                var result = await transfer.PushAsync(snapshot, target, login, gateway: null, publish, ct).ConfigureAwait(false);
                return new Delivered([new DestinationReport(target.ToString(), null, [result.ToDeliveryResult()]) { Type = "ssh" }]);
            },
            cancellationToken);
    }

    private async Task<UpdateReport> RunAsync(
        string triggerName,
        DeliveryScope deliveryScope,
        IReadOnlyList<UpdateTrigger> triggers,
        Func<ISource, Snapshot, RolloutPlan?, CancellationToken, Task<Delivered>> deliver,
        CancellationToken cancellationToken,
        bool dryRun = false)
    {
        var startedAt = time.GetUtcNow();
        var stopwatch = Stopwatch.StartNew();
        var id = UpdateIds.New(startedAt);
        using var activity = CourierTelemetry.ActivitySource.StartActivity("courier.update")?.SetTag("courier.update.id", id).SetTag("courier.trigger", triggerName);
        using var scope = logger.BeginScope("Update {UpdateId}", id);
        LogUpdateStarted(triggerName);
        var loaded = configuration.LoadSources();
        var errors = new List<string>(loaded.Errors);
        var matching = loaded.Sources.Where(source => triggers.Any(trigger => Matches(source, trigger, errors))).ToList();
        var reports = new SourceReport[matching.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxParallelSources, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(
            Enumerable.Range(0, matching.Count),
            parallel,
            async (index, ct) => reports[index] = await UpdateSourceAsync(new SourceRun(matching[index], loaded.ValidationOf(matching[index]), loaded.RolloutOf(matching[index]), dryRun, deliver), deliveryScope, triggerName, ct).ConfigureAwait(false)).ConfigureAwait(false);

        var report = new UpdateReport(triggerName, startedAt, stopwatch.Elapsed, errors, reports) { Id = id, DryRun = dryRun, Member = Member };
        foreach (var error in report.Sources.SelectMany(Errors))
        {
            LogDeliveryError(error);
        }

        LogUpdateFinished(triggerName, matching.Count, report.Succeeded, (long)stopwatch.Elapsed.TotalMilliseconds);
        activity?.SetStatus(report.Succeeded ? ActivityStatusCode.Ok : ActivityStatusCode.Error);
        await ReportSinks.PublishAsync(reportSinks, report, logger).ConfigureAwait(false);
        return report;
    }

    private bool Matches(ISource source, UpdateTrigger trigger, List<string> errors)
    {
        if (trigger is UpdateTrigger.SourceById named)
        {
            // The engine's own trigger: sources are never asked about it.
            return string.Equals(source.Id, named.SourceId, StringComparison.Ordinal);
        }

        try
        {
            return source.Matches(trigger);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var message = $"source {source.Id} could not be matched against the trigger: {e.Message}";
            errors.Add(message);
            LogDeliveryError(message);
            return false;
        }
    }

    private static IEnumerable<string> Errors(SourceReport source)
    {
        if (source.Error is not null)
        {
            yield return $"{source.Source}: {source.Error}";
        }

        foreach (var destination in source.Destinations)
        {
            if (destination.Error is not null)
            {
                yield return $"{source.Source} -> {destination.Alias}: {destination.Error}";
            }

            foreach (var delivery in destination.Deliveries.Where(d => !d.Succeeded))
            {
                yield return $"{source.Source} -> {destination.Alias} -> {delivery.Target}: {delivery.Error}";
            }
        }
    }

    private static string Describe(UpdateTrigger trigger) => trigger switch
    {
        UpdateTrigger.GitPushed push => $"git push {push.Url} {push.Branch}",
        UpdateTrigger.HermesDirectoryChanged changed => $"hermes directory {changed.Subdirectory ?? "(whole)"}",
        UpdateTrigger.SourceById named => $"source {named.SourceId}",
        _ => "all sources",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Update started: {Trigger}")]
    private partial void LogUpdateStarted(string trigger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Update finished: {Trigger}, {SourceCount} sources, succeeded {Succeeded}, in {ElapsedMs} ms")]
    private partial void LogUpdateFinished(string trigger, int sourceCount, bool succeeded, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Update error: {Error}")]
    private partial void LogDeliveryError(string error);
}

/// <summary>What delivering one snapshot did: each destination's report, and the rollout's when the source has one.</summary>
internal sealed record Delivered(IReadOnlyList<DestinationReport> Destinations, RolloutReport? Rollout = null);
