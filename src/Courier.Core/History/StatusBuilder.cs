using Courier.Core.Rollouts;

namespace Courier.Core.History;

/// <summary>Computes <see cref="CourierStatus"/> from the history, oldest report first (so it survives a restart).</summary>
public static class StatusBuilder
{
    /// <summary>The status after <paramref name="reports"/> (oldest first).</summary>
    public static CourierStatus Build(IReadOnlyList<UpdateReport> reports, DateTimeOffset now) => Build(reports, [], now);

    /// <summary>The status after <paramref name="reports"/> (oldest first), with the sources held now.</summary>
    public static CourierStatus Build(IReadOnlyList<UpdateReport> reports, IReadOnlyList<SourceHold> holds, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(reports);
        ArgumentNullException.ThrowIfNull(holds);

        // A dry run delivered nothing: it is in the history, never in what a target has.
        reports = [.. reports.Where(report => !report.DryRun)];
        var sources = new SortedDictionary<string, SourceState>(StringComparer.Ordinal);
        foreach (var report in reports)
        {
            foreach (var source in report.Sources)
            {
                if (!sources.TryGetValue(source.Source, out var state))
                {
                    sources[source.Source] = state = new SourceState(source.Type);
                }

                state.Apply(report, source);
            }
        }

        var held = new Dictionary<string, SourceHold>(StringComparer.Ordinal);
        foreach (var hold in holds)
        {
            held[hold.Source] = hold;
        }

        return new CourierStatus(
            now,
            reports.Count == 0 ? null : reports[^1].Id,
            [.. sources.Select(pair => pair.Value.ToStatus(pair.Key) with { Held = held.GetValueOrDefault(pair.Key)?.ToReport() })])
        {
            Holds = [.. held.Values.OrderBy(hold => hold.Source, StringComparer.Ordinal)],
        };
    }

    private sealed class SourceState(string type)
    {
        private readonly SortedDictionary<(string Destination, string Target), TargetState> _targets = [];
        private string? _revision;
        private DateTimeOffset? _pulledAt;
        private string? _pullError;
        private DateTimeOffset? _failingSince;
        private ValidationReport? _validation;
        private RolloutReport? _rollout;
        private string _lastUpdate = string.Empty;

        public void Apply(UpdateReport report, SourceReport source)
        {
            if (source.Revision is null && source.Error is null)
            {
                // Left to the cluster member holding the source's lock: nothing was pulled or delivered here.
                return;
            }

            _lastUpdate = report.Id;
            if (source.PullFailed())
            {
                _pullError = source.Error;
                _failingSince ??= report.StartedAt;
                return;
            }

            (_revision, _pulledAt, _pullError, _failingSince, _validation) = (source.Revision, report.StartedAt, null, null, source.Validation);
            if (source.Validation?.Passed != false)
            {
                _rollout = source.Rollout;
            }

            foreach (var destination in source.Destinations)
            {
                if (destination.Error is not null && destination.Deliveries.Count == 0)
                {
                    Target(destination.Alias, destination.Alias).Failed(new DeliveryEvent(report.Id, report.StartedAt, source.Revision, destination.Error));
                    continue;
                }

                foreach (var delivery in destination.Deliveries)
                {
                    var target = Target(destination.Alias, delivery.Target);
                    var attempt = new DeliveryEvent(report.Id, report.StartedAt, source.Revision, delivery.Error) { Member = delivery.Member };
                    if (delivery.Succeeded)
                    {
                        target.Succeeded(attempt);
                        target.Holds(delivery.Revision ?? source.Revision, delivery.RevisionSince ?? report.StartedAt);
                    }
                    else
                    {
                        target.Failed(attempt with { Error = delivery.Error ?? "failed" });
                        if (delivery.Revision is { } held)
                        {
                            // Read from the target: the failed delivery left it on this release.
                            target.Holds(held, delivery.RevisionSince);
                        }
                    }
                }
            }
        }

        public SourceStatus ToStatus(string id) => new(
            id,
            type,
            _revision,
            _pulledAt,
            _pullError,
            _failingSince,
            _lastUpdate,
            [.. _targets.Select(pair => new TargetStatus(pair.Key.Destination, pair.Key.Target, pair.Value.Ok, pair.Value.LastSuccess, pair.Value.LastFailure)
            {
                Revision = pair.Value.Revision,
                RevisionSince = pair.Value.RevisionSince,
            })])
        {
            Validation = _validation,
            Rollout = _rollout,
        };

        private TargetState Target(string destination, string target)
        {
            if (!_targets.TryGetValue((destination, target), out var state))
            {
                _targets[(destination, target)] = state = new TargetState();
            }

            return state;
        }
    }

    private sealed class TargetState
    {
        public bool Ok { get; private set; }

        public DeliveryEvent? LastSuccess { get; private set; }

        public DeliveryEvent? LastFailure { get; private set; }

        public void Succeeded(DeliveryEvent attempt) => (Ok, LastSuccess) = (true, attempt);

        public string? Revision { get; private set; }

        public DateTimeOffset? RevisionSince { get; private set; }

        public void Failed(DeliveryEvent attempt) => (Ok, LastFailure) = (false, attempt);

        public void Holds(string? revision, DateTimeOffset? since)
        {
            // The same revision delivered again (or found unchanged) keeps the time it first arrived.
            if (revision != Revision || RevisionSince is null)
            {
                (Revision, RevisionSince) = (revision, since);
            }
            else if (since is { } read && read < RevisionSince)
            {
                RevisionSince = read;
            }
        }
    }
}
