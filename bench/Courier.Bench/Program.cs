// Courier's benchmark harness: every scenario runs Courier and a baseline side by side, alternately, in this
// process, and reports the ratio of their medians (below 1: Courier is faster). Usage:
//   dotnet run -c Release --project bench/Courier.Bench -- [fanout] [git] [--iterations N]
using System.Globalization;
using Courier.Bench;

var scenarios = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal) && !int.TryParse(a, CultureInfo.InvariantCulture, out _)).ToHashSet(StringComparer.OrdinalIgnoreCase);
var iterationsIndex = Array.IndexOf(args, "--iterations");
var iterations = iterationsIndex >= 0 && iterationsIndex + 1 < args.Length ? int.Parse(args[iterationsIndex + 1], CultureInfo.InvariantCulture) : 5;
bool Wanted(string name) => scenarios.Count == 0 || scenarios.Contains(name);

var rows = new List<string>();
if (Wanted("fanout"))
{
    var fanOut = await FanOutBenchmark.RunAsync(agents: 12, files: 500, iterations);
    rows.Add(fanOut.Row("parallel (8)", "one after another"));
}

if (Wanted("git"))
{
    var git = await GitBenchmark.RunAsync(files: 2000, iterations);
    rows.Add(git.NoChange.Row("persistent cache", "fresh clone --depth 1"));
    rows.Add(git.OneFileChanged.Row("persistent cache", "fresh clone --depth 1"));
    rows.Add($"| git source, first update (empty cache) | {git.ColdMs:0} ms | | | 1 |");
}

Console.WriteLine(Measurement.Header);
rows.ForEach(Console.WriteLine);
using var self = System.Diagnostics.Process.GetCurrentProcess();
Console.WriteLine($"harness process (Courier in-process, baseline alike): peak working set {self.PeakWorkingSet64 / (1024 * 1024)} MiB, {GC.GetTotalAllocatedBytes() / (1024 * 1024)} MiB allocated");
