// Courier's benchmark harness: every scenario runs Courier and a baseline side by side, alternately, in this
// process, and reports the ratio of their medians (below 1: Courier is faster). Usage:
//   dotnet run -c Release --project bench/Courier.Bench -- [fanout] [git] [delivery] [storm] [cluster] [--iterations N]
//       [--agents 12[,48]]   (fanout: the agents of the armada-local cluster)
//       [--targets 16[,64,200]] [--files 2000] [--file-bytes 10000] [--methods courier,baseline,floor,atomic-floor]
//       [--publish in-place|atomic]   (delivery: how Courier's ssh destinations publish; the baseline and the floor never change)
//       [--pushes 100] [--seconds 5] [--trigger gitlab|api|mixed] [--queue-capacity N]   (storm)
using System.Globalization;
using Courier;
using Courier.Bench;

string? Option(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

var optionValues = new[] { "--iterations", "--targets", "--files", "--file-bytes", "--pushes", "--seconds", "--trigger", "--queue-capacity", "--methods", "--publish", "--agents" }.Select(Option).OfType<string>().ToHashSet();
var scenarios = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal) && !optionValues.Contains(a)).ToHashSet(StringComparer.OrdinalIgnoreCase);
var iterations = int.Parse(Option("--iterations") ?? "5", CultureInfo.InvariantCulture);
bool Wanted(string name) => scenarios.Count == 0 || scenarios.Contains(name);

var rows = new List<string>();
if (Wanted("fanout"))
{
    foreach (var agents in (Option("--agents") ?? "12").Split(',').Select(a => int.Parse(a, CultureInfo.InvariantCulture)))
    {
        var (againstEight, againstOne) = await FanOutBenchmark.RunAsync(agents, files: 500, iterations);
        rows.Add(againstEight.Row("transfer budget (32)", "8 at once"));
        rows.Add(againstOne.Row("transfer budget (32)", "one after another"));
    }
}

if (Wanted("git"))
{
    var git = await GitBenchmark.RunAsync(files: 2000, iterations);
    rows.Add(git.NoChange.Row("persistent cache", "fresh clone --depth 1"));
    rows.Add(git.OneFileChanged.Row("persistent cache", "fresh clone --depth 1"));
    rows.Add($"| git source, first update (empty cache) | {git.ColdMs:0} ms | | | 1 |");
}

if (rows.Count > 0)
{
    Console.WriteLine(Measurement.Header);
    rows.ForEach(Console.WriteLine);
}

if (Wanted("delivery"))
{
    var targetCounts = (Option("--targets") ?? "16").Split(',').Select(t => int.Parse(t, CultureInfo.InvariantCulture));
    var files = int.Parse(Option("--files") ?? "2000", CultureInfo.InvariantCulture);
    var fileBytes = int.Parse(Option("--file-bytes") ?? "10000", CultureInfo.InvariantCulture);
    var publish = (Option("--publish") ?? "in-place").ToLowerInvariant() switch
    {
        "in-place" => PublishMode.InPlace,
        "atomic" => PublishMode.Atomic,
        var other => throw new ArgumentException($"--publish must be in-place or atomic, got {other}."),
    };
    var methods = (Option("--methods") ?? (publish == PublishMode.Atomic ? "courier,baseline,floor,atomic-floor" : "courier,baseline,floor")).Split(',').ToHashSet(StringComparer.Ordinal);
    var sizes = new List<DeliveryResults>();
    foreach (var targets in targetCounts)
    {
        var delivery = await DeliveryBenchmark.RunAsync(targets, files, fileBytes, Option("--iterations") is null ? 3 : iterations, methods, publish);
        sizes.Add(delivery);
        Console.WriteLine();
        Console.WriteLine(delivery.Header);
        Console.WriteLine(delivery.Rows());
        if (sizes.Count > 1)
        {
            // After every size from the second on: a long run cut short still leaves the table of the sizes it did.
            Console.WriteLine();
            Console.WriteLine(ScaleResults.Table(sizes));
        }
    }
}

if (scenarios.Contains("cluster"))
{
    // Only when asked: it needs etcd (Debian's etcd-server) besides sshd, rsync and git.
    var targets = int.Parse((Option("--targets") ?? "200").Split(',')[0], CultureInfo.InvariantCulture);
    var files = int.Parse(Option("--files") ?? "100", CultureInfo.InvariantCulture);
    var fileBytes = int.Parse(Option("--file-bytes") ?? "10000", CultureInfo.InvariantCulture);
    var table = await ClusterBenchmark.RunAsync(targets, files, fileBytes, Option("--iterations") is null ? 3 : iterations);
    table.ToList().ForEach(Console.WriteLine);
}

if (Wanted("storm"))
{
    var trigger = (Option("--trigger") ?? "gitlab").ToLowerInvariant() switch
    {
        "gitlab" => StormTrigger.GitLab,
        "api" => StormTrigger.Api,
        "mixed" => StormTrigger.Mixed,
        var other => throw new ArgumentException($"--trigger must be gitlab, api or mixed, got {other}."),
    };
    var storm = await StormBenchmark.RunAsync(new StormOptions(
        Targets: int.Parse((Option("--targets") ?? "16").Split(',')[0], CultureInfo.InvariantCulture),
        Files: int.Parse(Option("--files") ?? "2000", CultureInfo.InvariantCulture),
        FileBytes: int.Parse(Option("--file-bytes") ?? "10000", CultureInfo.InvariantCulture),
        Pushes: int.Parse(Option("--pushes") ?? "100", CultureInfo.InvariantCulture),
        Seconds: double.Parse(Option("--seconds") ?? "5", CultureInfo.InvariantCulture),
        Trigger: trigger,
        QueueCapacity: Option("--queue-capacity") is { } capacity ? int.Parse(capacity, CultureInfo.InvariantCulture) : null));
    Console.WriteLine();
    Console.WriteLine(StormResults.Header);
    Console.WriteLine(storm.Row());
}

using var self = System.Diagnostics.Process.GetCurrentProcess();
Console.WriteLine($"harness process (Courier in-process, baseline alike): peak working set {self.PeakWorkingSet64 / (1024 * 1024)} MiB, {GC.GetTotalAllocatedBytes() / (1024 * 1024)} MiB allocated");
