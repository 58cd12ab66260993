using System.Globalization;
using System.Text;

namespace Courier.Bench;

/// <summary>
/// The delivery workloads over several target counts: per workload, each method's median at each size, Courier /
/// floor at each size, and the slope (ms per added target, least squares over the sizes) of each method with the
/// Courier / floor slope ratio (the goal: no worse than the floor's, 1.0 or below).
/// </summary>
internal static class ScaleResults
{
    private static readonly string[] Methods = ["courier", "floor", "atomic-floor", "baseline"];

    public static string Table(IReadOnlyList<DeliveryResults> sizes)
    {
        var table = new StringBuilder();
        var targets = sizes.Select(size => size.Targets).ToList();
        table.AppendLine($"| workload ({sizes[0].Files} files) | method | {string.Join(" | ", targets.Select(t => $"{t} targets"))} | slope (ms / target) |");
        table.AppendLine($"| --- | --- | {string.Join(" | ", targets.Select(_ => "---"))} | --- |");
        foreach (var (workload, goal) in sizes[0].Workloads)
        {
            var slopes = new Dictionary<string, double>();
            foreach (var method in Methods)
            {
                var medians = sizes.Select(size => size.Median(workload, method)).ToList();
                if (medians.All(double.IsNaN))
                {
                    continue;
                }

                slopes[method] = Slope(targets, medians);
                var label = method == "courier" && sizes[0].Publish == PublishMode.Atomic ? "courier (atomic)" : method;
                table.AppendLine($"| {workload} | {label} | {string.Join(" | ", medians.Select(DeliveryResults.Ms))} | {slopes[method]:0.0} |");
            }

            var ratios = sizes.Select(size => DeliveryResults.Ratio(size.Median(workload, "courier"), size.Median(workload, "floor")));
            var slopeRatio = !slopes.TryGetValue("floor", out var floor) ? "—"
                : floor <= 0 ? "— (the floor's slope is not positive)"
                : (slopes["courier"] / floor).ToString("0.00", CultureInfo.InvariantCulture);
            table.AppendLine($"| {workload} | **Courier / floor** (goal ≤ {goal}; slope ≤ 1) | {string.Join(" | ", ratios)} | {slopeRatio} |");
        }

        table.Append($"| Courier host RSS | idle / peak MiB | {string.Join(" | ", sizes.Select(size => $"{size.IdleRssMiB:0} / {size.PeakRssMiB:0}"))} | |");
        return table.ToString();
    }

    /// <summary>Least squares slope of <paramref name="ys"/> over <paramref name="xs"/> (sizes whose value is missing left out).</summary>
    private static double Slope(IReadOnlyList<int> xs, IReadOnlyList<double> ys)
    {
        var points = xs.Zip(ys).Where(point => !double.IsNaN(point.Second)).ToList();
        if (points.Count < 2)
        {
            return double.NaN;
        }

        var meanX = points.Average(point => (double)point.First);
        var meanY = points.Average(point => point.Second);
        var covariance = points.Sum(point => (point.First - meanX) * (point.Second - meanY));
        var variance = points.Sum(point => (point.First - meanX) * (point.First - meanX));
        return covariance / variance;
    }
}
