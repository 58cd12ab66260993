using System.Diagnostics;
using Courier.Core.Cluster;
using Courier.Core.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Courier.Core.Rollouts;

/// <summary>
/// Delivers a snapshot through a source's <c>"rollout"</c>: wave after wave over all its targets, each wave's targets
/// checked by the health gate; when the failures so far pass <c>max_failures</c>, no further wave is delivered and
/// every target switched during the rollout goes back to the revision kept from the last completed rollout (one
/// rename where its release is kept). A completed rollout's snapshot is kept for the next.
/// </summary>
internal sealed partial class RolloutRunner(TargetHealth health, KeptSnapshots kept, TargetSharing sharing, IOptions<CourierOptions> options, TimeProvider time, ILogger<RolloutRunner> logger)
{
    /// <summary>Rolls <paramref name="snapshot"/> out; <paramref name="rollingBack"/> for a requested rollback (kept releases reused, nothing newly kept).</summary>
    public async Task<(IReadOnlyList<DestinationReport> Destinations, RolloutReport Rollout)> RunAsync(ISource source, Snapshot snapshot, LoadedDestinations loaded, RolloutPlan plan, CancellationToken cancellationToken, bool rollingBack = false)
    {
        var (targets, errors) = await RolloutTargets.ListAsync(source, snapshot, loaded, cancellationToken).ConfigureAwait(false);
        var results = new IReadOnlyList<DeliveryResult>[targets.Count];
        var allowed = plan.MaxFailures.Of(targets.Count);
        var waves = new List<WaveReport>();
        var failures = 0;
        var start = 0;
        string? stopReason = null;
        var ends = plan.WaveEnds(targets.Count);
        foreach (var end in ends)
        {
            var wave = await RunWaveAsync(waves.Count + 1, targets, start, end, snapshot, plan, results, rollingBack, cancellationToken).ConfigureAwait(false);
            waves.Add(wave);
            failures += wave.Failures.Count;
            var fenced = results.Skip(start).Take(end - start).SelectMany(r => r ?? []).FirstOrDefault(r => r.Fenced);
            start = end;
            if (fenced is not null)
            {
                LogFenced(source.Id, snapshot.Revision, waves.Count, fenced.Target);
                return (TargetReports.Reports(targets, results, [], errors, source), new RolloutReport(RolloutReport.Fenced, waves) { Targets = targets.Count, StoppedAtWave = waves.Count, Reason = fenced.Error });
            }

            if (failures > allowed)
            {
                stopReason = $"{failures} of {targets.Count} targets failed, more than max_failures ({plan.MaxFailures}, {allowed} targets): {string.Join("; ", wave.Failures.Select(f => $"{f.Target}: {f.Reason}"))}";
                break;
            }

            if (end < targets.Count && plan.Pause > TimeSpan.Zero)
            {
                await Task.Delay(plan.Pause, time, cancellationToken).ConfigureAwait(false);
            }
        }

        var report = new RolloutReport(stopReason is null ? RolloutReport.Completed : RolloutReport.Stopped, waves) { Targets = targets.Count };
        var rollbacks = new List<(int Index, DeliveryResult Result)>();
        if (stopReason is null)
        {
            if (!rollingBack && errors.Count == 0 && results.All(r => r is not null && r.All(d => d.Succeeded)))
            {
                kept.Keep(snapshot, cancellationToken);
            }

            LogCompleted(source.Id, snapshot.Revision, waves.Count, targets.Count);
        }
        else
        {
            LogStopped(source.Id, snapshot.Revision, waves.Count, stopReason);
            (report, rollbacks) = await RollBackAsync(source, snapshot, targets, results, start, report with { StoppedAtWave = waves.Count, Reason = stopReason }, cancellationToken).ConfigureAwait(false);
        }

        return (TargetReports.Reports(targets, results, rollbacks, errors, source), report);
    }

    /// <summary>
    /// Delivers one wave, split across the cluster's members (its end: every member's part done), then checks each
    /// delivered target's health here. A requested rollback (<paramref name="reuseKept"/>) is delivered here alone.
    /// </summary>
    private async Task<WaveReport> RunWaveAsync(int number, IReadOnlyList<PlannedTarget> targets, int start, int end, Snapshot snapshot, RolloutPlan plan, IReadOnlyList<DeliveryResult>[] results, bool reuseKept, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        var failures = new TargetFailure?[end - start];
        LogWave(snapshot.SourceId, number, end - start, start);
        var wave = targets.Skip(start).Take(end - start).ToList();
        var delivered = await sharing.DeliverAsync(wave, snapshot, new DeliveryOptions { ReuseKeptRelease = reuseKept }, share: !reuseKept, cancellationToken).ConfigureAwait(false);
        delivered.CopyTo(results, start);
        await Parallel.ForEachAsync(
            Enumerable.Range(0, wave.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxParallelTransfers, CancellationToken = cancellationToken },
            async (n, ct) =>
            {
                var failed = delivered[n].Where(r => !r.Succeeded).Select(r => r.Error ?? "failed").ToList();
                var answer = failed.Count > 0 ? $"delivery failed: {string.Join("; ", failed)}" : await health.CheckAsync(wave[n].Target, plan.Health, ct).ConfigureAwait(false) is { } unhealthy ? $"health: {unhealthy}" : null;
                failures[n] = answer is null ? null : new TargetFailure(wave[n].Target.Name, answer);
            }).ConfigureAwait(false);
        return new WaveReport(number, [.. wave.Select(t => t.Target.Name)], [.. failures.OfType<TargetFailure>()], started.Elapsed);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rollout of {Source}: wave {Wave}, {Count} targets from target {From}")]
    private partial void LogWave(string source, int wave, int count, int from);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rollout of {Source} at {Revision} completed: {Waves} waves, {Targets} targets")]
    private partial void LogCompleted(string source, string revision, int waves, int targets);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rollout of {Source} at {Revision} ended after wave {Wave}: {Target} was changed by a newer run of the source")]
    private partial void LogFenced(string source, string revision, int wave, string target);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rollout of {Source} at {Revision} stopped after wave {Wave}: {Reason}")]
    private partial void LogStopped(string source, string revision, int wave, string reason);
}
