using Courier.Core;
using Courier.Core.Configuration;
using Courier.Core.Updates;
using Microsoft.Extensions.Options;

namespace Courier.Host.Background;

/// <summary>
/// Polls the sources that can be polled (<see cref="IPolledSource"/>) at their interval, a fallback for a missed web
/// hook: a source whose remote revision is the one last delivered costs one cheap check and nothing else; any other
/// answer queues a normal update. Polls of different sources run side by side; a source whose check is still
/// running is not checked again. The configuration is read again every <see cref="RescanInterval"/>.
/// The host's: it queues its updates on the host's <see cref="IUpdateQueue"/>, and runs while the host runs (it polls
/// nothing unless a source or <c>Courier:Git:PollInterval</c> asks).
/// </summary>
internal sealed partial class SourcePoller(
    HermesConfigurationLoader configuration,
    SourceUpdateCoordinator coordinator,
    IUpdateQueue queue,
    IOptions<CourierOptions> options,
    TimeProvider time,
    ILogger<SourcePoller> logger) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    /// <summary>How often the poller reads the sources again, to follow configuration changes.</summary>
    public static TimeSpan RescanInterval { get; } = TimeSpan.FromMinutes(1);

    /// <summary>Polls until <paramref name="cancellationToken"/> is cancelled.</summary>
    protected override async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        var due = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var running = new Dictionary<string, Task>(StringComparer.Ordinal);
        IReadOnlyList<(IPolledSource Source, TimeSpan Interval)> polled = [];
        var nextScan = DateTimeOffset.MinValue;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var now = time.GetUtcNow();
                if (now >= nextScan)
                {
                    polled = Scan();
                    nextScan = now + RescanInterval;
                    var ids = polled.Select(p => p.Source.Id).ToHashSet(StringComparer.Ordinal);
                    foreach (var gone in due.Keys.Where(id => !ids.Contains(id)).ToList())
                    {
                        due.Remove(gone);
                    }
                }

                foreach (var (source, interval) in polled)
                {
                    if (!due.TryGetValue(source.Id, out var at))
                    {
                        due[source.Id] = now + interval;
                    }
                    else if (now >= at && (!running.TryGetValue(source.Id, out var previous) || previous.IsCompleted))
                    {
                        due[source.Id] = now + interval;
                        running[source.Id] = PollAsync(source, cancellationToken);
                    }
                }

                foreach (var finished in running.Where(pair => pair.Value.IsCompleted).Select(pair => pair.Key).ToList())
                {
                    running.Remove(finished);
                }

                await Task.Delay(Tick, time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        await Task.WhenAll(running.Values).ConfigureAwait(false);
    }

    private List<(IPolledSource Source, TimeSpan Interval)> Scan()
    {
        var found = new List<(IPolledSource, TimeSpan)>();
        foreach (var source in configuration.LoadSources().Sources.OfType<IPolledSource>())
        {
            try
            {
                var interval = source.PollInterval ?? DefaultInterval(source.Type);
                if (interval is { } every)
                {
                    found.Add((source, every));
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogPollFailed(source.Id, e.Message);
            }
        }

        return found;
    }

    private TimeSpan? DefaultInterval(string sourceType) =>
        string.Equals(sourceType, "git", StringComparison.OrdinalIgnoreCase) ? options.Value.Git.PollInterval : null;

    private async Task PollAsync(IPolledSource source, CancellationToken cancellationToken)
    {
        await Task.Yield();
        if (coordinator.IsUpdating(source.Id))
        {
            // The update running or pending pulls afresh anyway; the next poll looks again.
            LogBusy(source.Id);
            return;
        }

        try
        {
            var remote = await source.GetRemoteRevisionAsync(cancellationToken).ConfigureAwait(false);
            var delivered = coordinator.LastDeliveredRevision(source.Id);
            if (remote is not null && string.Equals(remote, delivered, StringComparison.Ordinal))
            {
                LogUnchanged(source.Id, remote);
                return;
            }

            if (coordinator.IsUpdating(source.Id))
            {
                // An update (the start-up one, say) took the source while the remote was asked: it pulls afresh.
                LogBusy(source.Id);
                return;
            }

            if (queue.TryEnqueue($"poll of {source.Id}", [source.PollTrigger]))
            {
                LogQueued(source.Id, delivered ?? "nothing yet", remote ?? "unknown");
            }
            else
            {
                LogQueueRefused(source.Id);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogPollFailed(source.Id, e.Message);
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Poll of {Source}: {Revision} is delivered already, nothing to do")]
    private partial void LogUnchanged(string source, string revision);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Poll of {Source} skipped: an update of it is running or pending")]
    private partial void LogBusy(string source);

    [LoggerMessage(Level = LogLevel.Information, Message = "Poll of {Source}: delivered {Delivered}, remote {Remote}; update queued")]
    private partial void LogQueued(string source, string delivered, string remote);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Poll of {Source} found a change but the update queue refused it; the next poll tries again")]
    private partial void LogQueueRefused(string source);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Poll of {Source} failed: {Error}")]
    private partial void LogPollFailed(string source, string error);
}
