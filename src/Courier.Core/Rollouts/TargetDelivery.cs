using Courier.Core.Cluster;

namespace Courier.Core.Rollouts;

/// <summary>One target's delivery, and the destination reports that gather targets' deliveries.</summary>
internal static class TargetDelivery
{
    /// <summary>
    /// Delivers to one target with <paramref name="options"/>, carrying <paramref name="fencingToken"/> (by default
    /// that of the run's cluster lock); the target's failure is its result.
    /// </summary>
    public static async Task<IReadOnlyList<DeliveryResult>> DeliverAsync(PlannedTarget planned, Snapshot snapshot, DeliveryOptions options, CancellationToken cancellationToken, long? fencingToken = null)
    {
        try
        {
            return await planned.Target.DeliverAsync(snapshot, options with { FencingToken = fencingToken ?? FencingScope.Current }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return [DeliveryResult.Failure(planned.Target.Name, $"{planned.Type} destination failed: {e.Message}", TimeSpan.Zero)];
        }
    }

    /// <summary>One report per destination, in the source's order: each target's delivery, then its rollback (which the status reads as what it holds).</summary>
    public static List<DestinationReport> Reports(IReadOnlyList<PlannedTarget> targets, IReadOnlyList<DeliveryResult>?[] results, IReadOnlyList<(int Index, DeliveryResult Result)> rollbacks, IReadOnlyList<DestinationReport> errors, ISource source)
    {
        var reports = targets
            .Select((planned, index) => (planned, index))
            .GroupBy(pair => (pair.planned.Alias, pair.planned.Type))
            .Select(group => new DestinationReport(group.Key.Alias, null, [.. group.SelectMany(pair =>
                (results[pair.index] ?? []).Concat(rollbacks.Where(r => r.Index == pair.index).Select(r => r.Result)))]) { Type = group.Key.Type })
            .Concat(errors)
            .ToList();
        var order = source.Destinations.ToList();
        return [.. reports.OrderBy(r => order.IndexOf(r.Alias))];
    }
}
