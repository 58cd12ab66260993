namespace Courier.Core.History;

/// <summary>The report history: the last reports, newest first, kept across restarts.</summary>
public interface IReportStore
{
    /// <summary>The report with this id, or null when it is unknown (or not a valid id).</summary>
    ValueTask<UpdateReport?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>The reports that <paramref name="query"/> selects, newest first.</summary>
    ValueTask<ReportPage> ListAsync(ReportQuery query, CancellationToken cancellationToken);

    /// <summary>Every report kept, oldest first (what the status is computed from).</summary>
    ValueTask<IReadOnlyList<UpdateReport>> AllAsync(CancellationToken cancellationToken);
}

/// <summary>Which reports to list.</summary>
/// <param name="Limit">How many at most (1 to 500).</param>
/// <param name="Before">Only reports older than the one with this id (the next page).</param>
/// <param name="Source">Only reports of this source (its id, or a part of it).</param>
/// <param name="Outcome">Only <c>succeeded</c> or <c>failed</c> reports.</param>
/// <param name="Trigger">Only reports whose trigger kind (<c>all</c>, <c>git</c>, <c>hermes-directory</c>, <c>update_hermes</c>, <c>source</c>) is this, or whose trigger text contains it.</param>
public sealed record ReportQuery(int Limit = 50, string? Before = null, string? Source = null, string? Outcome = null, string? Trigger = null)
{
    /// <summary>The page of <paramref name="oldestFirst"/> (every report kept, in id order) this query selects.</summary>
    public ReportPage Select(IReadOnlyList<UpdateReport> oldestFirst)
    {
        ArgumentNullException.ThrowIfNull(oldestFirst);
        var limit = Math.Clamp(Limit, 1, 500);
        var selected = oldestFirst
            .Reverse()
            .Where(r => Before is null || string.CompareOrdinal(r.Id, Before) < 0)
            .Where(Matches)
            .Take(limit + 1)
            .ToList();
        return selected.Count > limit ? new ReportPage(selected.GetRange(0, limit), selected[limit - 1].Id) : new ReportPage(selected, null);
    }

    /// <summary>Whether <paramref name="report"/> passes the query's filters (its source, outcome and trigger).</summary>
    public bool Matches(UpdateReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (Outcome is { Length: > 0 } outcome && report.Succeeded != string.Equals(outcome, "succeeded", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (Source is { Length: > 0 } source && !report.Sources.Any(s => s.Source.Contains(source, StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        return Trigger is not { Length: > 0 } trigger
            || string.Equals(TriggerKinds.Of(report.Trigger), trigger, StringComparison.OrdinalIgnoreCase)
            || report.Trigger.Contains(trigger, StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>One page of reports, newest first.</summary>
/// <param name="Reports">The reports.</param>
/// <param name="Next">The <c>before</c> value of the next page; null on the last page.</param>
public sealed record ReportPage(IReadOnlyList<UpdateReport> Reports, string? Next);
