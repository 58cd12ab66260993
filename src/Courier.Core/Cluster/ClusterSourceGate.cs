using Microsoft.Extensions.Logging;

namespace Courier.Core.Cluster;

/// <summary>
/// Runs one update of a source under the source's cluster lock, so two members never run it at once. A member that
/// finds the lock held writes the trigger as the source's pending trigger and returns; the holder looks for pending
/// triggers after it released the lock and runs again when it gets the lock back (or the next holder does, which
/// looks too). Triggers written before a run started are taken by that run: its pull starts after them.
/// </summary>
internal sealed partial class ClusterSourceGate(
    ISourceLocks locks,
    IPendingTriggers pending,
    IClusterMembership membership,
    TimeProvider time,
    ILogger<ClusterSourceGate> logger)
{
    /// <summary>Runs <paramref name="update"/> under the lock of <paramref name="source"/>, then every trigger left pending.</summary>
    public async Task<SourceReport> RunAsync(ISource source, string trigger, Func<CancellationToken, Task<SourceReport>> update, CancellationToken cancellationToken)
    {
        SourceReport? last = null;
        var recorded = false;
        while (true)
        {
            try
            {
                var held = await locks.TryAcquireAsync(source.Id, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
                if (held is null)
                {
                    if (last is not null || recorded)
                    {
                        // The holder that has the lock now looks for pending triggers when its run ends.
                        return last ?? Deferred(source);
                    }

                    await pending.AddAsync(new PendingTrigger(source.Id, membership.MemberName, time.GetUtcNow(), trigger), cancellationToken).ConfigureAwait(false);
                    LogDeferred(source.Id, trigger);
                    recorded = true;

                    // The holder may have released the lock (and looked for pending triggers) before the write: try once more.
                    continue;
                }

                last = await RunHeldAsync(source, held, trigger, update, cancellationToken).ConfigureAwait(false);

                // Looked for after the release, so a trigger written while the lock was held is never missed by every holder.
                if (!await pending.AnyAsync(source.Id, cancellationToken).ConfigureAwait(false))
                {
                    return last;
                }
            }
            catch (ClusterUnavailableException e)
            {
                LogUnavailable(source.Id, e.Message);
                return last ?? new SourceReport(source.Id, source.Type, null, $"nothing was delivered: the cluster lock of the source could not be taken: {e.Message}", []);
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="update"/> under the lock of <paramref name="source"/>, waiting up to <paramref name="wait"/>
    /// for another member's run to end: for a request that cannot be left to the holder as a pending trigger, because
    /// what it delivers is its own (a rollback to a revision). Pending triggers stay for the source's next update.
    /// </summary>
    public async Task<SourceReport> RunWaitingAsync(ISource source, TimeSpan wait, Func<CancellationToken, Task<SourceReport>> update, CancellationToken cancellationToken)
    {
        try
        {
            var held = await locks.TryAcquireAsync(source.Id, wait, cancellationToken).ConfigureAwait(false);
            return held is null
                ? new SourceReport(source.Id, source.Type, null, $"nothing was delivered: another member kept the cluster lock of the source for over {wait:c}.", [])
                : await RunHeldAsync(source, held, "rollback", update, cancellationToken, takePending: false).ConfigureAwait(false);
        }
        catch (ClusterUnavailableException e)
        {
            LogUnavailable(source.Id, e.Message);
            return new SourceReport(source.Id, source.Type, null, $"nothing was delivered: the cluster lock of the source could not be taken: {e.Message}", []);
        }
    }

    private async Task<SourceReport> RunHeldAsync(ISource source, ISourceLock held, string trigger, Func<CancellationToken, Task<SourceReport>> update, CancellationToken cancellationToken, bool takePending = true)
    {
        await using (held.ConfigureAwait(false))
        {
            var taken = takePending ? await pending.TakeAsync(source.Id, cancellationToken).ConfigureAwait(false) : [];

            // Kept in the engine until the run ends: if this member dies meanwhile, another one runs the source again.
            // Not for a rollback: run again elsewhere as an update, it would deliver the newest revision instead.
            long? started = takePending ? await pending.StartAsync(new PendingTrigger(source.Id, membership.MemberName, time.GetUtcNow(), trigger), cancellationToken).ConfigureAwait(false) : null;
            LogRunning(source.Id, held.FencingToken, taken.Count);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, held.Lost);
            SourceReport report;
            try
            {
                report = await FencingScope.RunAsync(held.FencingToken, () => update(linked.Token)).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (held.Lost.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                LogLockLost(source.Id, held.FencingToken);
                return new SourceReport(source.Id, source.Type, null, $"the update was ended: this member lost the cluster lock of the source (fencing token {held.FencingToken}) while it ran.", []);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Run again elsewhere, an update that fails this way would fail there too.
                await FinishAsync(source.Id, started).ConfigureAwait(false);
                throw;
            }

            await FinishAsync(source.Id, started).ConfigureAwait(false);
            return report;
        }
    }

    /// <summary>Removes the record of an ended run; a record left behind only means one more run of the source later.</summary>
    private async Task FinishAsync(string sourceId, long? started)
    {
        if (started is null)
        {
            return;
        }

        try
        {
            await pending.FinishAsync(sourceId, started.Value, CancellationToken.None).ConfigureAwait(false);
        }
        catch (ClusterUnavailableException e)
        {
            LogFinishFailed(sourceId, e.Message);
        }
    }

    /// <summary>A run left to the member holding the lock: nothing pulled or delivered here, and no error.</summary>
    private static SourceReport Deferred(ISource source) => new(source.Id, source.Type, null, null, []);

    [LoggerMessage(Level = LogLevel.Information, Message = "Source {Source} is being run by another member: trigger {Trigger} written as its pending trigger")]
    private partial void LogDeferred(string source, string trigger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Running source {Source} under its cluster lock, fencing token {FencingToken}, {PendingCount} pending triggers taken")]
    private partial void LogRunning(string source, long? fencingToken, int pendingCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the cluster lock of source {Source} (fencing token {FencingToken}) while running it")]
    private partial void LogLockLost(string source, long? fencingToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The end of the run of source {Source} was not recorded: {Reason}; another member may run it again")]
    private partial void LogFinishFailed(string source, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Source {Source} not run: the cluster cannot be used: {Reason}")]
    private partial void LogUnavailable(string source, string reason);
}
