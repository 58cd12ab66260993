using System.Text;

namespace Courier.Bench;

/// <summary>Delivery timings by workload and method, printed as medians and the two ratios the goals are set in.</summary>
internal sealed class DeliveryResults(int targets, int files)
{
    private static readonly (string Workload, double Goal)[] Workloads = [("first delivery", 1.2), ("one file changed", 1.3), ("nothing changed", 1.3)];
    private readonly Dictionary<(string Workload, string Method), List<double>> _timings = [];

    public double IdleRssMiB { get; set; }

    public double PeakRssMiB { get; set; }

    public void Add(string workload, string method, double milliseconds)
    {
        if (!_timings.TryGetValue((workload, method), out var list))
        {
            _timings[(workload, method)] = list = [];
        }

        list.Add(milliseconds);
    }

    public const string Header =
        "| workload | targets | Courier | baseline | floor | Courier / floor (goal) | baseline / Courier | runs |\n" +
        "| --- | --- | --- | --- | --- | --- | --- | --- |";

    public string Rows()
    {
        var rows = new StringBuilder();
        foreach (var (workload, goal) in Workloads)
        {
            var courier = Median(workload, "courier");
            var baseline = Median(workload, "baseline");
            var floor = Median(workload, "floor");
            var mark = courier / floor <= goal ? "ok" : "over";
            rows.AppendLine(
                $"| {workload} ({files} files) | {targets} | {courier:0} ms | {baseline:0} ms | {floor:0} ms | {courier / floor:0.00} (≤ {goal}, {mark}) | {baseline / courier:0.00} | {_timings[(workload, "courier")].Count} |");
        }

        rows.Append($"| Courier host RSS, {targets} targets | idle {IdleRssMiB:0} MiB | peak during deliveries {PeakRssMiB:0} MiB | | | | | |");
        return rows.ToString();
    }

    private double Median(string workload, string method)
    {
        var sorted = _timings[(workload, method)].Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
