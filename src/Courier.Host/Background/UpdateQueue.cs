using System.Threading.Channels;
using Courier.Core;
using Courier.Core.Updates;
using Microsoft.Extensions.Options;

namespace Courier.Host.Background;

/// <summary>
/// Updates that run after their request has been answered: the update of all sources at start-up and GitLab
/// web hook deliveries (GitLab gives a hook 10 seconds and disables hooks that keep failing).
/// </summary>
internal sealed partial class UpdateQueue(
    CourierUpdater updater,
    IOptions<CourierOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<UpdateQueue> logger) : BackgroundService
{
    private const int Capacity = 256;

    private readonly Channel<QueuedUpdate> _queue = Channel.CreateBounded<QueuedUpdate>(new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Queues an update; false when the queue is full.</summary>
    public bool TryEnqueue(string reason, IReadOnlyList<UpdateTrigger> triggers) => _queue.Writer.TryWrite(new QueuedUpdate(reason, triggers));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.UpdateAllOnStart)
        {
            await WaitForStartAsync(stoppingToken).ConfigureAwait(false);
            TryEnqueue("start-up", [UpdateTrigger.All]);
        }

        await foreach (var update in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                var report = await updater.UpdateAsync(update.Triggers, stoppingToken).ConfigureAwait(false);
                LogFinished(update.Reason, report.Succeeded);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogFailed(e, update.Reason);
            }
        }
    }

    private Task WaitForStartAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        return started.Task.WaitAsync(stoppingToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Background update ({Reason}) finished, succeeded {Succeeded}")]
    private partial void LogFinished(string reason, bool succeeded);

    [LoggerMessage(Level = LogLevel.Error, Message = "Background update ({Reason}) failed")]
    private partial void LogFailed(Exception exception, string reason);

    private sealed record QueuedUpdate(string Reason, IReadOnlyList<UpdateTrigger> Triggers);
}
