using Courier.Core.Cluster;
using Courier.Core.Updates;
using Courier.Host.Background;

namespace Courier.Host.Cluster;

/// <summary>
/// Runs again what a member left unfinished: a source with pending triggers or the record of a run, whose lock nobody
/// holds (its holder died, or died before running a trigger it accepted). Each member looks every
/// <see cref="Interval"/>; the lock decides which one runs it. So an update answered 202 by a member that then died is
/// run within the lease's TTL (the dead member's lock ends with it) plus one interval.
/// The host's, like the poller: it queues updates on the host's <see cref="IUpdateQueue"/>, and runs while the host runs.
/// </summary>
internal sealed partial class UnfinishedRunSweeper(
    IClusterMembership membership,
    IPendingTriggers pending,
    ISourceLocks locks,
    SourceUpdateCoordinator coordinator,
    IUpdateQueue queue,
    TimeProvider time,
    ILogger<UnfinishedRunSweeper> logger) : BackgroundService
{
    /// <summary>How often a member looks for unfinished runs.</summary>
    public static TimeSpan Interval { get; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a source queued here is left alone before it is queued again (one not configured here, say).</summary>
    public static TimeSpan RetryAfter { get; } = TimeSpan.FromSeconds(30);

    /// <summary>Looks until <paramref name="cancellationToken"/> is cancelled; returns at once on a single node.</summary>
    protected override async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        if (!membership.IsClustered)
        {
            return;
        }

        var queued = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(Interval, time, cancellationToken).ConfigureAwait(false);
                if (membership.HasLease)
                {
                    await SweepAsync(queued, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task SweepAsync(Dictionary<string, DateTimeOffset> queued, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> sources;
        try
        {
            sources = await pending.UnfinishedSourcesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterUnavailableException e)
        {
            LogUnavailable(e.Message);
            return;
        }

        var now = time.GetUtcNow();
        foreach (var source in sources)
        {
            if (coordinator.IsUpdating(source) || (queued.TryGetValue(source, out var at) && now - at < RetryAfter))
            {
                continue;
            }

            try
            {
                // Only a free lock means nobody runs it now; taken and let go at once, the update takes it again.
                var probe = await locks.TryAcquireAsync(source, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
                if (probe is null)
                {
                    continue;
                }

                await probe.DisposeAsync().ConfigureAwait(false);
            }
            catch (ClusterUnavailableException e)
            {
                LogUnavailable(e.Message);
                return;
            }

            if (queue.TryEnqueue($"unfinished run of {source}", [UpdateTrigger.ForSource(source)]))
            {
                queued[source] = now;
                LogQueued(source);
            }
        }

        foreach (var gone in queued.Keys.Except(sources, StringComparer.Ordinal).ToList())
        {
            queued.Remove(gone);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Source {Source} has a run no member finished and nobody holds its lock: queued to run here")]
    private partial void LogQueued(string source);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not look for unfinished runs: {Reason}")]
    private partial void LogUnavailable(string reason);
}
