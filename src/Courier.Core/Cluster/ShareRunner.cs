using System.Collections.Concurrent;
using Courier.Core.Configuration;
using Courier.Core.Rollouts;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Courier.Core.Cluster;

/// <summary>
/// Delivers the shares other members hand this one: pulls the source from this member's own configuration, and
/// delivers the order's targets when it pulled the order's revision (nothing otherwise: the runner delivers them), under
/// the runner's fencing token, ended at <c>Courier:Timeouts:Update</c>. One share of a source at a time on this member.
/// A hosted service of the engine, not of a host: any app whose members hand out shares must also take them, or its
/// runners would wait for answers that never come. It returns at once on a single node.
/// </summary>
internal sealed partial class ShareRunner(
    HermesConfigurationLoader configuration,
    ITargetShares shares,
    TargetSharing sharing,
    IClusterMembership membership,
    IOptions<CourierOptions> options,
    ILogger<ShareRunner> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _sources = new(StringComparer.Ordinal);

    /// <summary>Runs every order handed to this member until <paramref name="stopping"/>, each on its own.</summary>
    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        if (!membership.IsClustered)
        {
            return;
        }

        var running = new ConcurrentDictionary<Task, bool>();
        try
        {
            await foreach (var received in shares.ReceiveAsync(stopping).ConfigureAwait(false))
            {
                var task = RunOrderAsync(received.Order, stopping, received.Withdrawn);
                running[task] = true;
                _ = task.ContinueWith(done => running.TryRemove(done, out _), TaskScheduler.Default);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }

        await Task.WhenAll(running.Keys).ConfigureAwait(false);
    }

    /// <summary>
    /// Delivers one order and answers it, unless its runner withdrew it (<paramref name="withdrawn"/>: the share is
    /// ended, its processes killed, and nobody waits for an answer); never throws (a failure is the answer, or left to
    /// the runner).
    /// </summary>
    public async Task RunOrderAsync(ShareOrder order, CancellationToken stopping, CancellationToken withdrawn = default)
    {
        ArgumentNullException.ThrowIfNull(order);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping, withdrawn);
        deadline.CancelAfter(options.Value.Timeouts.Update);
        var turn = _sources.GetOrAdd(order.SourceId, _ => new SemaphoreSlim(1, 1));
        ShareAnswer answer;
        try
        {
            await turn.WaitAsync(deadline.Token).ConfigureAwait(false);
            try
            {
                answer = await DeliverAsync(order, deadline.Token).ConfigureAwait(false);
            }
            finally
            {
                turn.Release();
            }
        }
        catch (OperationCanceledException)
        {
            answer = Refusal(stopping.IsCancellationRequested ? "the member is stopping." : $"the share did not finish within {CourierTimeouts.Describe(nameof(CourierTimeouts.Update), options.Value.Timeouts.Update)}.");
        }
        catch (Exception e)
        {
            answer = Refusal(e.Message);
        }

        if (withdrawn.IsCancellationRequested)
        {
            // An answer now would stay in the engine with nobody to read and remove it.
            LogWithdrawn(order.SourceId, order.Runner);
            return;
        }

        if (answer.Error is not null)
        {
            LogRefused(order.SourceId, order.Runner, answer.Error);
        }

        try
        {
            await shares.AnswerAsync(order, answer, CancellationToken.None).ConfigureAwait(false);
        }
        catch (ClusterUnavailableException e)
        {
            // The runner then sees this member leave, or its own deadline, and delivers the share itself.
            LogUnanswered(order.SourceId, order.Runner, e.Message);
        }
    }

    private async Task<ShareAnswer> DeliverAsync(ShareOrder order, CancellationToken cancellationToken)
    {
        var source = configuration.LoadSources().Sources.FirstOrDefault(s => string.Equals(s.Id, order.SourceId, StringComparison.Ordinal));
        if (source is null)
        {
            return Refusal($"member {membership.MemberName} has no source {order.SourceId} in its configuration.");
        }

        var snapshot = await source.PullAsync(cancellationToken).ConfigureAwait(false);
        if (!string.Equals(snapshot.Revision, order.Revision, StringComparison.Ordinal))
        {
            return Refusal($"member {membership.MemberName} pulled {snapshot.Revision}, not {order.Revision}.");
        }

        var (listed, _) = await RolloutTargets.ListAsync(source, snapshot, configuration.LoadDestinations(), cancellationToken).ConfigureAwait(false);
        var planned = new PlannedTarget[order.Targets.Count];
        for (var n = 0; n < planned.Length; n++)
        {
            var wanted = order.Targets[n];
            var found = listed.FirstOrDefault(t => t.Alias == wanted.Alias && t.Target.Name == wanted.Name);
            if (found is null)
            {
                return Refusal($"member {membership.MemberName} does not know target {wanted.Name} of destination {wanted.Alias}.");
            }

            planned[n] = found;
        }

        LogDelivering(order.SourceId, planned.Length, order.Runner, order.Revision);

        // Here alone, as the runner delivers its own part, under the runner's token.
        var results = await FencingScope.RunAsync(order.FencingToken, () => sharing.DeliverAsync(planned, snapshot, DeliveryOptions.Default, share: false, cancellationToken)).ConfigureAwait(false);
        return new ShareAnswer(null, results);
    }

    private static ShareAnswer Refusal(string reason) => new(reason, []);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivering {Count} targets of source {Source} at {Revision} for member {Runner}")]
    private partial void LogDelivering(string source, int count, string runner, string revision);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Share of source {Source} for member {Runner} not delivered here: {Reason}")]
    private partial void LogRefused(string source, string runner, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Share of source {Source} for member {Runner} ended: the runner withdrew it")]
    private partial void LogWithdrawn(string source, string runner);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Share of source {Source} for member {Runner} delivered but not answered: {Reason}")]
    private partial void LogUnanswered(string source, string runner, string reason);
}
