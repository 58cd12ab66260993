using System.Diagnostics;
using Courier.Core.Configuration;
using Courier.Core.History;
using Courier.Core.Rollouts;
using Microsoft.Extensions.Logging;

namespace Courier.Core.Updates;

/// <summary>A source kept back from a rollback request (<c>POST /rollback</c>): why nothing was delivered.</summary>
internal sealed class RollbackRefusedException(string message) : InvalidOperationException(message);

/// <summary>
/// <c>POST /rollback</c>: a kept revision of a source delivered to every target (through its waves when it has a
/// rollout; a target keeping a release of it is switched back by one rename), and the source held so that the next
/// hook does not push the newer revision again.
/// </summary>
internal sealed partial class CourierUpdater
{
    /// <summary>
    /// Delivers <paramref name="revision"/> of <paramref name="sourceId"/> (by default the one before the current)
    /// from what Courier kept, and holds the source.
    /// </summary>
    /// <exception cref="RollbackRefusedException">The source is unknown or keeps no such revision.</exception>
    public async Task<UpdateReport> RollBackAsync(string sourceId, string? revision, CancellationToken cancellationToken)
    {
        var loaded = configuration.LoadSources();
        var source = loaded.Sources.FirstOrDefault(s => s.Id == sourceId)
            ?? throw new RollbackRefusedException($"no source has the id \"{sourceId}\".");
        var plan = loaded.RolloutOf(source);
        var current = kept.Find(source.Id);
        var snapshot = revision is null ? kept.FindPrevious(source.Id) : kept.FindRevision(source.Id, revision);
        var onTargetsOnly = false;
        if (snapshot is null && plan is null)
        {
            snapshot = await DeliveredRevisionAsync(source, loaded, revision, cancellationToken).ConfigureAwait(false);
            onTargetsOnly = snapshot is not null;
        }

        if (snapshot is null)
        {
            var known = string.Join(", ", new[] { current, kept.FindPrevious(source.Id) }.OfType<Snapshot>().Select(s => s.Revision));
            throw new RollbackRefusedException(known.Length == 0
                ? $"Courier keeps no revision of {source.Id} to roll back to: it keeps the last two revisions whose rollout completed, for sources with a \"rollout\"; for a source without one, it switches atomic targets back to a release they keep, of a revision its history shows delivered{(revision is null ? " before the current one" : $" (\"{revision}\" is not one)")}."
                : $"Courier keeps no {(revision is null ? "revision before the current one" : $"revision \"{revision}\"")} of {source.Id}; it keeps {known}.");
        }

        // Held first, so that no hook or poll delivers the newer revision meanwhile.
        await holds.HoldAsync(source.Id, $"rolled back to {snapshot.Revision} on request", cancellationToken).ConfigureAwait(false);
        var trigger = $"rollback of {source.Id} to {snapshot.Revision}";
        var startedAt = time.GetUtcNow();
        var stopwatch = Stopwatch.StartNew();
        var id = UpdateIds.New(startedAt);
        using var scope = logger.BeginScope("Update {UpdateId}", id);
        LogUpdateStarted(trigger);
        var destinations = configuration.LoadDestinations();
        var sourceReport = await coordinator.UpdateAsync(
            source,
            DeliveryScope.Rollback,
            trigger,
            async ct =>
            {
                Delivered delivered;
                if (plan is null)
                {
                    delivered = new Delivered(await DestinationFanOut.DeliverAsync(source, snapshot, destinations, options.Value.MaxParallelTransfers, new DeliveryOptions { ReuseKeptRelease = true, OnlyKeptRelease = onTargetsOnly }, ct).ConfigureAwait(false));
                }
                else
                {
                    var (reports, rollout) = await rollouts.RunAsync(source, snapshot, destinations, plan, ct, rollingBack: true).ConfigureAwait(false);
                    delivered = new Delivered(reports, rollout);
                }

                return new SourceReport(source.Id, source.Type, snapshot.Revision, null, delivered.Destinations) { Held = (await holds.GetAsync(source.Id, ct).ConfigureAwait(false))?.ToReport(), Rollout = delivered.Rollout };
            },
            cancellationToken).ConfigureAwait(false);
        var report = new UpdateReport(trigger, startedAt, stopwatch.Elapsed, loaded.Errors, [sourceReport]) { Id = id, Member = Member };
        LogUpdateFinished(trigger, 1, report.Succeeded, (long)stopwatch.Elapsed.TotalMilliseconds);
        await ReportSinks.PublishAsync(reportSinks, report, logger).ConfigureAwait(false);
        return report;
    }

    /// <summary>
    /// For a source without a rollout, of which Courier keeps no files: a revision its history shows delivered (the
    /// one before the newest unless told), to be sent only as a switch to a release the targets keep, never a transfer.
    /// </summary>
    private async Task<Snapshot?> DeliveredRevisionAsync(ISource source, LoadedSources loaded, string? revision, CancellationToken cancellationToken)
    {
        var delivered = (await history.AllAsync(cancellationToken).ConfigureAwait(false))
            .Where(report => !report.DryRun)
            .Reverse()
            .SelectMany(report => report.Sources.Where(s => s.Source == source.Id && s.Succeeded && s.Held is null && s.Revision is not null).Select(s => s.Revision!))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var chosen = revision is null
            ? delivered.ElementAtOrDefault(1)
            : delivered.FirstOrDefault(r => r == revision || (revision.Length >= 7 && r.StartsWith(revision, StringComparison.Ordinal)));
        return chosen is null ? null : new Snapshot(source.Id, RolloutRunner.NoFiles, loaded.DestinationPathOf(source), chosen);
    }
}
