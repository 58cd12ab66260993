using System.Text;

namespace Courier.Bench;

/// <summary>Delivery timings by workload and method, printed as medians and the two ratios the goals are set in.</summary>
internal sealed class DeliveryResults(int targets, int files, PublishMode publish)
{
    private readonly Dictionary<(string Workload, string Method), List<double>> _timings = [];

    /// <summary>
    /// The workloads and their goals (Courier / floor at most): in place, 1.2 on the first delivery and 1.3 on the
    /// others; with atomic publish, whose "nothing changed" reads each target's release link instead of running rsync
    /// and whose "one file changed" hard-links the unchanged files, 1.2, 1.1 and 0.5.
    /// </summary>
    public IReadOnlyList<(string Workload, double Goal)> Workloads { get; } = publish == PublishMode.Atomic
        ? [("first delivery", 1.2), ("one file changed", 1.1), ("nothing changed", 0.5)]
        : [("first delivery", 1.2), ("one file changed", 1.3), ("nothing changed", 1.3)];

    public int Targets => targets;

    public PublishMode Publish => publish;

    /// <summary>How Courier's column is headed: <c>Courier</c>, or <c>Courier (atomic)</c>.</summary>
    public string CourierLabel => publish == PublishMode.Atomic ? "Courier (atomic)" : "Courier";

    public int Files => files;

    /// <summary>The methods measured (all three unless some were left out).</summary>
    public IEnumerable<string> Methods => _timings.Keys.Select(key => key.Method).Distinct();

    public double IdleRssMiB { get; set; }

    public double PeakRssMiB { get; set; }

    /// <summary>The peak's anonymous and file-backed parts and the thread count then.</summary>
    public string PeakBreakdown { get; set; } = string.Empty;

    public void Add(string workload, string method, double milliseconds)
    {
        if (!_timings.TryGetValue((workload, method), out var list))
        {
            _timings[(workload, method)] = list = [];
        }

        list.Add(milliseconds);
    }

    // With atomic publish, the atomic floor too: the floor's script building and switching a release per target.
    private string[] Columns =>
    [
        "workload", "targets", CourierLabel, "baseline", "floor", "Courier / floor (goal)",
        .. publish == PublishMode.Atomic ? new[] { "atomic floor", "Courier / atomic floor" } : [],
        "baseline / Courier", "runs",
    ];

    public string Header => $"| {string.Join(" | ", Columns)} |\n|{string.Concat(Columns.Select(_ => " --- |"))}";

    public string Rows()
    {
        var rows = new StringBuilder();
        // --iterations 0 measures the warm-up alone: memory, no timings.
        foreach (var (workload, goal) in Workloads.Where(workload => _timings.ContainsKey((workload.Workload, "courier"))))
        {
            var courier = Median(workload, "courier");
            var baseline = Median(workload, "baseline");
            var floor = Median(workload, "floor");
            var mark = double.IsNaN(floor) ? "no floor" : courier / floor <= goal ? "ok" : "over";
            var atomicFloor = Median(workload, "atomic-floor");
            var atomicColumns = publish == PublishMode.Atomic ? $" {Ms(atomicFloor)} | {Ratio(courier, atomicFloor)} |" : string.Empty;
            rows.AppendLine(
                $"| {workload} ({files} files) | {targets} | {Ms(courier)} | {Ms(baseline)} | {Ms(floor)} | {Ratio(courier, floor)} (≤ {goal}, {mark}) |{atomicColumns} {Ratio(baseline, courier)} | {_timings[(workload, "courier")].Count} |");
        }

        var emptyCells = string.Concat(Enumerable.Repeat(" |", Columns.Length - 2));
        rows.Append($"| Courier host RSS, {targets} targets | idle {IdleRssMiB:0} MiB | peak during deliveries {PeakRssMiB:0} MiB ({PeakBreakdown}){emptyCells}");
        return rows.ToString();
    }

    public static string Ms(double milliseconds) => double.IsNaN(milliseconds) ? "—" : $"{milliseconds:0} ms";

    public static string Ratio(double numerator, double denominator) => double.IsNaN(numerator / denominator) ? "—" : $"{numerator / denominator:0.00}";

    /// <summary>The median of <paramref name="method"/> on <paramref name="workload"/>; NaN when the method was not run.</summary>
    public double Median(string workload, string method)
    {
        if (!_timings.TryGetValue((workload, method), out var timings))
        {
            return double.NaN;
        }

        var sorted = timings.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
