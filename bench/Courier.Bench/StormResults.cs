using System.Globalization;

namespace Courier.Bench;

/// <summary>What a storm did, printed as one table row.</summary>
internal sealed class StormResults(StormOptions options)
{
    public const int Goal = 3;

    public const string Header =
        "| storm | targets × files | trigger | rsync runs per target, max / median (goal ≤ 3) | by the reports | updates | source runs | triggers accepted / folded | 503s retried | last push → last target holds it | content |\n" +
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |";

    public double StormSeconds { get; init; }

    /// <summary>rsync runs each target served (its forced command's log).</summary>
    public required IReadOnlyList<int> RsyncRunsPerTarget { get; init; }

    /// <summary>rsync attempts per target, by the host's reports (distinct source runs).</summary>
    public required IReadOnlyList<int> ReportedAttemptsPerTarget { get; init; }

    public int Updates { get; init; }

    public int SourceRuns { get; init; }

    public int TriggersAccepted { get; init; }

    public int Refused { get; init; }

    public double? CoalescedMetric { get; init; }

    public double LastPushToAllHeldSeconds { get; init; }

    public bool WithinGoal => RsyncRunsPerTarget.Max() <= Goal;

    public string Row()
    {
        var runs = RsyncRunsPerTarget.Order().ToList();
        var reported = ReportedAttemptsPerTarget.Order().ToList();
        var capacity = options.QueueCapacity is { } c ? $", Courier:QueueCapacity {c}" : string.Empty;
        var folded = TriggersAccepted - SourceRuns;
        var metric = CoalescedMetric is { } m ? m.ToString("0", CultureInfo.InvariantCulture) : "0, none recorded";
        return $"| {options.Pushes} pushes in {StormSeconds:0.0} s{capacity} | {options.Targets} × {options.Files} | {Trigger()} " +
            $"| {runs[^1]} / {Median(runs):0.#} ({(WithinGoal ? "ok" : "over")}) | {(reported.Count == 0 ? "none" : $"{reported[^1]} / {Median(reported):0.#}")} " +
            $"| {Updates} | {SourceRuns} | {TriggersAccepted} / {folded} (courier.triggers.coalesced {metric}) | {Refused} | {LastPushToAllHeldSeconds:0.00} s | every target = last commit |";
    }

    private string Trigger() => options.Trigger switch
    {
        StormTrigger.GitLab => "`/gitlab_web_hook`",
        StormTrigger.Api => "`/update_from_git`",
        _ => "both, in turn",
    };

    private static double Median(List<int> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2.0;
}
