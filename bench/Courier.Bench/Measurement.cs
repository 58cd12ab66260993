using System.Diagnostics;

namespace Courier.Bench;

/// <summary>Timings of one scenario, candidate and baseline run alternately in this process, so both see the same machine.</summary>
internal sealed class Measurement(string scenario)
{
    private readonly List<double> _candidate = [];
    private readonly List<double> _baseline = [];

    public string Scenario { get; } = scenario;

    public static async Task<double> TimeAsync(Func<Task> run)
    {
        var watch = Stopwatch.StartNew();
        await run();
        return watch.Elapsed.TotalMilliseconds;
    }

    public void Add(double candidateMs, double baselineMs)
    {
        _candidate.Add(candidateMs);
        _baseline.Add(baselineMs);
    }

    public double CandidateMedian => Median(_candidate);

    public double BaselineMedian => Median(_baseline);

    /// <summary>Candidate time over baseline time: below 1 means Courier is faster.</summary>
    public double Ratio => CandidateMedian / BaselineMedian;

    public string Row(string candidate, string baseline) =>
        $"| {Scenario} | {candidate} {CandidateMedian:0} ms | {baseline} {BaselineMedian:0} ms | {Ratio:0.00} | {_candidate.Count} |";

    public const string Header = "| scenario | Courier (median) | baseline (median) | ratio | runs |\n| --- | --- | --- | --- | --- |";

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
