using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Courier.Core.Cluster;
using Courier.Core.Diagnostics;
using Microsoft.Extensions.Options;

namespace Courier.Core.Updates;

/// <summary>
/// Runs one update of a source at a time, over every caller (API calls, hooks, start-up, polling): a trigger that
/// arrives while the source is being updated joins the one pending run of that source, which pulls afresh when it
/// starts. At most <see cref="CourierOptions.MaxParallelSources"/> source runs execute at once over all updates;
/// pending runs hold no slot, so a hung source holds one slot and no more. An update of the configured destinations
/// also holds the source's cluster lock (<see cref="ClusterSourceGate"/>): with several members, one run of a source in
/// the whole cluster; on a single node the lock is always free.
/// </summary>
internal sealed class SourceUpdateCoordinator
{
    private readonly SemaphoreSlim _slots;
    private readonly CoalescingRunner<string, DeliveryScope, SourceReport> _runner;
    private readonly Counter<long> _coalesced;
    private readonly ConcurrentDictionary<string, string> _delivered = new(StringComparer.Ordinal);
    private readonly ClusterSourceGate _gate;
    private readonly TimeSpan _lockWait;

    /// <summary>Creates the coordinator with the host's parallel bound and the cluster's source locks.</summary>
    public SourceUpdateCoordinator(IOptions<CourierOptions> options, ClusterSourceGate gate, CourierMeter meter)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(meter);
        _gate = gate;
        _lockWait = options.Value.Timeouts.Update;
        _slots = new SemaphoreSlim(options.Value.MaxParallelSources, options.Value.MaxParallelSources);
        _runner = new CoalescingRunner<string, DeliveryScope, SourceReport>(_slots, options.Value.Coalescing);
        _coalesced = meter.Meter.CreateCounter<long>("courier.triggers.coalesced", unit: "{trigger}", description: "Triggers folded into an update already waiting: a queued one (the host's queue) or a source's pending run.");
        _runner.Coalesced += _ => RecordCoalesced();
    }

    /// <summary>Counts one trigger folded into a waiting update, here or in a queue in front of the engine (the host's).</summary>
    public void RecordCoalesced() => _coalesced.Add(1);

    /// <summary>
    /// Updates <paramref name="source"/> with <paramref name="update"/>, or joins the pending update of the source
    /// with the same <paramref name="scope"/> (what is delivered where: the configured destinations, or one hermes
    /// address). The report always comes from a pull that started after this call. <paramref name="trigger"/>
    /// says what asked for it, in the cluster's pending triggers and run records.
    /// </summary>
    public Task<SourceReport> UpdateAsync(ISource source, DeliveryScope scope, string trigger, Func<CancellationToken, Task<SourceReport>> update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(update);
        var id = source.Id;
        return _runner.RunAsync(
            id,
            scope,
            async ct =>
            {
                // Only the configured destinations are shared by the cluster's members: a dry run changes nothing, and
                // /update_hermes (an agent starting) must work on every member even while the cluster cannot be used.
                // A rollback delivers a revision of its own, so it waits for the lock instead of leaving a pending trigger.
                var report = scope == DeliveryScope.ConfiguredDestinations ? await _gate.RunAsync(source, trigger, update, ct).ConfigureAwait(false)
                    : scope == DeliveryScope.Rollback ? await _gate.RunWaitingAsync(source, _lockWait, update, ct).ConfigureAwait(false)
                    : await update(ct).ConfigureAwait(false);
                // A held source's report succeeds with nothing delivered: its targets do not have that revision.
                if (scope == DeliveryScope.ConfiguredDestinations && report.Succeeded && report.Held is null && report.Revision is { } revision)
                {
                    _delivered[id] = revision;
                }

                return report;
            },
            cancellationToken);
    }

    /// <summary>Completes when every source update running or pending now has ended (its processes included).</summary>
    public Task WhenUpdatesEndAsync() => _runner.WhenRunsEndAsync();

    /// <summary>Whether an update of the source is running or pending.</summary>
    public bool IsUpdating(string sourceId) => _runner.IsActive(sourceId);

    /// <summary>The revision of the source's last update that succeeded everywhere, in this process; null when none did.</summary>
    public string? LastDeliveredRevision(string sourceId) => _delivered.TryGetValue(sourceId, out var revision) ? revision : null;
}
