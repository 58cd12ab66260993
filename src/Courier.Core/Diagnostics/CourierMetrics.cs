using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Courier.Core.History;

namespace Courier.Core.Diagnostics;

/// <summary>
/// The update, delivery and pull instruments of the <c>Courier</c> meter, recorded from each finished report:
/// <c>courier.updates</c>, <c>courier.deliveries</c>, <c>courier.delivery.duration</c>, <c>courier.delivery.bytes</c>,
/// <c>courier.pulls</c>, <c>courier.pull.failures</c>, <c>courier.rollouts</c>, <c>courier.source.last_success</c> and
/// <c>courier.target.revision</c> (one series per target: the revision it holds as a tag, since when as the value).
/// </summary>
internal sealed class CourierMetrics : IUpdateReportSink
{
    private readonly Counter<long> _updates;
    private readonly Counter<long> _deliveries;
    private readonly Histogram<double> _deliveryDuration;
    private readonly Histogram<long> _deliveryBytes;
    private readonly Counter<long> _pulls;
    private readonly Counter<long> _pullFailures;
    private readonly Counter<long> _rollouts;
    private readonly ConcurrentDictionary<string, long> _lastSuccess = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Source, string Destination, string Target), (string Revision, long Since)> _targetRevisions = new();

    // Updates whose triggers were folded into one run of a source share that run's SourceReport: count it once.
    private readonly ConditionalWeakTable<SourceReport, object> _recorded = [];

    public CourierMetrics(CourierMeter courierMeter)
    {
        ArgumentNullException.ThrowIfNull(courierMeter);
        var meter = courierMeter.Meter;
        _updates = meter.CreateCounter<long>("courier.updates", "{update}", "Updates finished, by trigger kind and outcome.");
        _deliveries = meter.CreateCounter<long>("courier.deliveries", "{delivery}", "Deliveries to one target, by destination type and outcome.");
        _deliveryDuration = meter.CreateHistogram<double>("courier.delivery.duration", "s", "How long a delivery to one target took.");
        _deliveryBytes = meter.CreateHistogram<long>("courier.delivery.bytes", "By", "Bytes a delivery to one target sent.");
        _pulls = meter.CreateCounter<long>("courier.pulls", "{pull}", "Pulls of a source, failed or not.");
        _pullFailures = meter.CreateCounter<long>("courier.pull.failures", "{pull}", "Pulls of a source that failed.");
        _rollouts = meter.CreateCounter<long>("courier.rollouts", "{rollout}", "Rollouts of a source in waves, by outcome (completed or stopped).");
        meter.CreateObservableGauge(
            "courier.source.last_success",
            () => _lastSuccess.Select(pair => new Measurement<long>(pair.Value, new KeyValuePair<string, object?>("source", pair.Key))),
            "s",
            "When a source was last pulled and delivered everywhere, in Unix seconds.");
        meter.CreateObservableGauge(
            "courier.target.revision",
            () => _targetRevisions.Select(pair => new Measurement<long>(
                pair.Value.Since,
                new("source", pair.Key.Source),
                new("destination", pair.Key.Destination),
                new("target", pair.Key.Target),
                new("revision", pair.Value.Revision))),
            "s",
            "The revision each target holds (tag), since when in Unix seconds (value): read from its release link with atomic publish.");
    }

    public ValueTask OnReportAsync(UpdateReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.DryRun)
        {
            // A dry run delivered nothing: no update, delivery or success to count.
            return ValueTask.CompletedTask;
        }

        _updates.Add(1, new("trigger", TriggerKinds.Of(report.Trigger)), new("outcome", Outcome(report.Succeeded)));
        var finishedAt = (report.StartedAt + report.Duration).ToUnixTimeSeconds();
        foreach (var source in report.Sources)
        {
            if (!_recorded.TryAdd(source, report))
            {
                continue;
            }

            _pulls.Add(1, new KeyValuePair<string, object?>("source.type", source.Type));
            if (source.PullFailed())
            {
                _pullFailures.Add(1, new KeyValuePair<string, object?>("source.type", source.Type));
            }

            if (source.Rollout is { } rollout)
            {
                _rollouts.Add(1, new KeyValuePair<string, object?>("outcome", rollout.Outcome));
            }

            foreach (var destination in source.Destinations)
            {
                var type = new KeyValuePair<string, object?>("destination.type", destination.Type ?? "unknown");
                if (destination.Error is not null && destination.Deliveries.Count == 0)
                {
                    _deliveries.Add(1, type, new("outcome", "failed"));
                }

                foreach (var delivery in destination.Deliveries)
                {
                    _deliveries.Add(1, type, new("outcome", delivery.Unchanged ? "unchanged" : delivery.Fenced ? "fenced" : Outcome(delivery.Succeeded)));
                    RecordRevision(source, destination.Alias, delivery, report.StartedAt);
                    _deliveryDuration.Record(delivery.Duration.TotalSeconds, type);
                    if (delivery.Succeeded)
                    {
                        _deliveryBytes.Record(delivery.BytesSent, type);
                    }
                }
            }

            if (source.Succeeded && source.Held is null)
            {
                _lastSuccess[source.Source] = finishedAt;
            }
        }

        return ValueTask.CompletedTask;
    }

    private void RecordRevision(SourceReport source, string destination, DeliveryResult delivery, DateTimeOffset startedAt)
    {
        var revision = delivery.Revision ?? (delivery.Succeeded ? source.Revision : null);
        if (revision is null)
        {
            return;
        }

        var since = (delivery.RevisionSince ?? startedAt).ToUnixTimeSeconds();
        _targetRevisions.AddOrUpdate(
            (source.Source, destination, delivery.Target),
            (revision, since),
            (_, known) => known.Revision == revision ? (revision, Math.Min(known.Since, since)) : (revision, since));
    }

    private static string Outcome(bool succeeded) => succeeded ? "succeeded" : "failed";
}
