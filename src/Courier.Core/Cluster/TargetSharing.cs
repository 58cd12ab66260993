using Courier.Core.Rollouts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Courier.Core.Cluster;

/// <summary>
/// Delivers a set of targets (a wave, or all of a source's) across the live members of the cluster: each target goes
/// to the member that rendezvous hashing gives it, and the set ends when every member's part has. A member that
/// leaves before answering, or cannot deliver the revision, leaves its part to this member, which delivers it too.
/// On a single node, or for fewer targets than <see cref="ITargetShares.MinTargets"/>, this member delivers them all.
/// </summary>
internal sealed partial class TargetSharing(IClusterMembership membership, ITargetShares shares, IOptions<CourierOptions> options, ILogger<TargetSharing> logger)
{
    /// <summary>Each target's results, in the order of <paramref name="targets"/>; <paramref name="share"/> false keeps them all here.</summary>
    public async Task<IReadOnlyList<DeliveryResult>[]> DeliverAsync(IReadOnlyList<PlannedTarget> targets, Snapshot snapshot, DeliveryOptions deliveryOptions, bool share, CancellationToken cancellationToken)
    {
        var results = new IReadOnlyList<DeliveryResult>[targets.Count];
        var owners = share ? await OwnersAsync(snapshot.SourceId, targets, cancellationToken).ConfigureAwait(false) : null;
        var me = membership.MemberName;
        var parts = Enumerable.Range(0, targets.Count).GroupBy(index => owners?[index] ?? me).ToList();
        await Task.WhenAll(parts.Select(part => part.Key == me
            ? DeliverHereAsync([.. part], targets, snapshot, deliveryOptions, results, cancellationToken)
            : DeliverThroughAsync(part.Key, [.. part], targets, snapshot, deliveryOptions, results, cancellationToken))).ConfigureAwait(false);
        return results;
    }

    /// <summary>
    /// Delivers to one target here, carrying the fencing token of the run's cluster lock (<see cref="FencingScope"/>);
    /// the target's failure is its result, and in a cluster each result names this member.
    /// </summary>
    public async Task<IReadOnlyList<DeliveryResult>> DeliverOneAsync(PlannedTarget planned, Snapshot snapshot, DeliveryOptions deliveryOptions, CancellationToken cancellationToken)
    {
        IReadOnlyList<DeliveryResult> results;
        try
        {
            results = await planned.Target.DeliverAsync(snapshot, deliveryOptions with { FencingToken = FencingScope.Current }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            results = [DeliveryResult.Failure(planned.Target.Name, $"{planned.Type} destination failed: {e.Message}", TimeSpan.Zero)];
        }

        return membership.IsClustered ? [.. results.Select(r => r with { Member = membership.MemberName })] : results;
    }

    /// <summary>The member each target belongs to, or null when this member delivers them all.</summary>
    private async Task<string[]?> OwnersAsync(string sourceId, IReadOnlyList<PlannedTarget> targets, CancellationToken cancellationToken)
    {
        if (!membership.IsClustered || targets.Count < shares.MinTargets)
        {
            return null;
        }

        IReadOnlyList<ClusterMember> members;
        try
        {
            members = await membership.MembersAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterUnavailableException e)
        {
            LogAlone(sourceId, e.Message);
            return null;
        }

        var live = members.Where(m => m.Healthy).Select(m => m.Name).Append(membership.MemberName).Distinct(StringComparer.Ordinal).ToList();
        return live.Count < 2 ? null : [.. targets.Select(t => Rendezvous.OwnerOf(KeyOf(sourceId, t.Alias, t.Target.Name), live))];
    }

    /// <summary>What a target is hashed by: its source, destination and name, so one target's owner differs by source.</summary>
    internal static string KeyOf(string sourceId, string alias, string target) => $"{sourceId}\n{alias}\n{target}";

    private async Task DeliverHereAsync(IReadOnlyList<int> indices, IReadOnlyList<PlannedTarget> targets, Snapshot snapshot, DeliveryOptions deliveryOptions, IReadOnlyList<DeliveryResult>[] results, CancellationToken cancellationToken) =>
        await Parallel.ForEachAsync(
            indices,
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxParallelTransfers, CancellationToken = cancellationToken },
            async (index, ct) => results[index] = await DeliverOneAsync(targets[index], snapshot, deliveryOptions with { Publish = targets[index].Publish }, ct).ConfigureAwait(false)).ConfigureAwait(false);

    private async Task DeliverThroughAsync(string member, IReadOnlyList<int> indices, IReadOnlyList<PlannedTarget> targets, Snapshot snapshot, DeliveryOptions deliveryOptions, IReadOnlyList<DeliveryResult>[] results, CancellationToken cancellationToken)
    {
        var order = new ShareOrder(Guid.NewGuid().ToString("N"), snapshot.SourceId, snapshot.Revision, FencingScope.Current, membership.MemberName, member, [.. indices.Select(i => new ShareTarget(targets[i].Alias, targets[i].Target.Name))]);
        string reason;
        try
        {
            await shares.PublishAsync(order, cancellationToken).ConfigureAwait(false);
            LogHanded(snapshot.SourceId, indices.Count, member);
            try
            {
                var answer = await shares.AnswerOfAsync(order, cancellationToken).ConfigureAwait(false);
                if (answer is { Error: null } && answer.Deliveries.Count == indices.Count)
                {
                    for (var n = 0; n < indices.Count; n++)
                    {
                        results[indices[n]] = answer.Deliveries[n];
                    }

                    return;
                }

                reason = answer is null ? "it left the cluster before answering" : answer.Error ?? $"it answered for {answer.Deliveries.Count} of {indices.Count} targets";
            }
            finally
            {
                await shares.WithdrawAsync(order, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (ClusterUnavailableException e)
        {
            reason = e.Message;
        }

        LogTakenBack(snapshot.SourceId, indices.Count, member, reason);
        await DeliverHereAsync(indices, targets, snapshot, deliveryOptions, results, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Source {Source}: the member list could not be read ({Reason}); delivering every target here")]
    private partial void LogAlone(string source, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Source {Source}: {Count} targets handed to member {Member}")]
    private partial void LogHanded(string source, int count, string member);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Source {Source}: member {Member} did not deliver its {Count} targets ({Reason}); delivering them here")]
    private partial void LogTakenBack(string source, int count, string member, string reason);
}
