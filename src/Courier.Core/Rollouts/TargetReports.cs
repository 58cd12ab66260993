namespace Courier.Core.Rollouts;

/// <summary>The destination reports that gather targets' deliveries.</summary>
internal static class TargetReports
{
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
