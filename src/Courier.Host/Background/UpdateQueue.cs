using System.Collections.Concurrent;
using Courier.Core;
using Courier.Core.Diagnostics;
using Courier.Core.Updates;
using Courier.Host.Health;
using Microsoft.Extensions.Options;

namespace Courier.Host.Background;

/// <summary>
/// Updates that run after their request has been answered: the update of all sources at start-up, web hook
/// deliveries (GitLab gives a hook 10 seconds) and polling. Updates for different triggers run side by side (the
/// engine bounds the sources running at once and runs one update of a source at a time); updates with the same
/// triggers fold into one waiting update. An accepted update is never dropped while the process lives; when
/// <see cref="CourierHostOptions.QueueCapacity"/> updates are running or waiting, new ones are refused (503).
/// On shutdown, running updates get <see cref="CourierOptions.ShutdownGracePeriod"/>, then are cancelled (the
/// transfer kills its processes); updates still waiting are not started.
/// </summary>
internal sealed partial class UpdateQueue : BackgroundService, IUpdateQueue
{
    private const string StartupReason = "start-up";
    private readonly CourierUpdater _updater;
    private readonly SourceUpdateCoordinator _coordinator;
    private readonly IOptions<CourierOptions> _options;
    private readonly int _capacity;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<UpdateQueue> _logger;
    private readonly StartupUpdate _startup;
    private readonly CoalescingRunner<TriggerSet, TriggerSet, UpdateReport?> _runner;
    private readonly CancellationTokenSource _abort = new();
    private readonly ConcurrentDictionary<Task, string> _accepted = new();
    private volatile bool _stopping;

    public UpdateQueue(CourierUpdater updater, SourceUpdateCoordinator coordinator, CourierMeter meter, IOptions<CourierOptions> options, IOptions<CourierHostOptions> hostOptions, IHostApplicationLifetime lifetime, StartupUpdate startup, ILogger<UpdateQueue> logger)
    {
        _capacity = hostOptions.Value.QueueCapacity;
        _startup = startup;
        _updater = updater;
        _coordinator = coordinator;
        _options = options;
        _lifetime = lifetime;
        _logger = logger;

        // The queue folds a hook storm before the engine sees it: its waiting update waits for quiet too.
        _runner = new CoalescingRunner<TriggerSet, TriggerSet, UpdateReport?>(delays: options.Value.Coalescing);
        _runner.Coalesced += _ => coordinator.RecordCoalesced();
        meter.Meter.CreateObservableGauge("courier.queue.length", () => _runner.Count, unit: "{update}", description: "Queued updates running or waiting.");
    }

    /// <summary>Queued updates running or waiting.</summary>
    public int Length => _runner.Count;

    /// <summary>Queues an update; false when the queue is full or the host is stopping (answer 503).</summary>
    public bool TryEnqueue(string reason, IReadOnlyList<UpdateTrigger> triggers)
    {
        ArgumentNullException.ThrowIfNull(triggers);
        if (_stopping)
        {
            return false;
        }

        var key = new TriggerSet(triggers);
        var accepted = _runner.TryRun(key, key, ct => RunAsync(reason, triggers, ct), _capacity, _abort.Token);
        if (accepted is null)
        {
            LogRefused(reason, _capacity);
            return false;
        }

        _accepted[accepted] = reason;
        _ = accepted.ContinueWith(Finished, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.Value.UpdateAllOnStart)
        {
            await WaitForStartAsync(stoppingToken).ConfigureAwait(false);
            TryEnqueue(StartupReason, [UpdateTrigger.All]);
        }
    }

    /// <summary>Stops taking updates, gives the running ones the grace period, then cancels them and waits for their end.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        var running = _runner.WhenRunsEndAsync();
        if (running.IsCompleted)
        {
            return;
        }

        var grace = _options.Value.ShutdownGracePeriod;
        LogDraining(_runner.Count, grace.TotalSeconds);
        await Task.WhenAny(running, Task.Delay(grace, cancellationToken)).ConfigureAwait(false);
        if (!running.IsCompleted)
        {
            LogCancelling(grace.TotalSeconds);
            await _abort.CancelAsync().ConfigureAwait(false);

            // The queue's updates end as soon as they are cancelled; the source updates under them end once their
            // processes are killed and reaped, and only then may the host exit.
            await Task.WhenAny(Task.WhenAll(running, _coordinator.WhenUpdatesEndAsync()), Task.Delay(Timeout.Infinite, cancellationToken)).ConfigureAwait(false);
        }
    }

    public override void Dispose()
    {
        _abort.Dispose();
        base.Dispose();
    }

    private async Task<UpdateReport?> RunAsync(string reason, IReadOnlyList<UpdateTrigger> triggers, CancellationToken cancellationToken)
    {
        if (_stopping)
        {
            LogNotStarted(reason);
            return null;
        }

        var report = await _updater.UpdateAsync(triggers, cancellationToken).ConfigureAwait(false);
        LogFinished(reason, report.Succeeded);
        return report;
    }

    private void Finished(Task<UpdateReport?> update)
    {
        _accepted.TryRemove(update, out var reason);
        if (reason == StartupReason)
        {
            _startup.MarkFinished();
        }

        if (update.IsFaulted)
        {
            LogFailed(update.Exception.GetBaseException(), reason ?? "?");
        }
        else if (update.IsCanceled)
        {
            LogCancelled(reason ?? "?");
        }
    }

    private Task WaitForStartAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        return started.Task.WaitAsync(stoppingToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Background update ({Reason}) finished, succeeded {Succeeded}")]
    private partial void LogFinished(string reason, bool succeeded);

    [LoggerMessage(Level = LogLevel.Error, Message = "Background update ({Reason}) failed")]
    private partial void LogFailed(Exception exception, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Background update ({Reason}) was cancelled")]
    private partial void LogCancelled(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Background update ({Reason}) refused: {Capacity} updates are running or waiting (Courier:QueueCapacity)")]
    private partial void LogRefused(string reason, int capacity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Background update ({Reason}) not started: the host is stopping")]
    private partial void LogNotStarted(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: {Count} background updates running or waiting; running ones get {GraceSeconds} s (Courier:ShutdownGracePeriod)")]
    private partial void LogDraining(int count, double graceSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping: the grace period of {GraceSeconds} s is over; cancelling the running updates")]
    private partial void LogCancelling(double graceSeconds);
}
