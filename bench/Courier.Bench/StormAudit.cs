using System.Globalization;
using System.Text.Json;
using Courier.Testing;

namespace Courier.Bench;

/// <summary>What the storm left: the trees on the targets, the rsync runs each target served, and the host's own account (reports, metrics).</summary>
internal static class StormAudit
{
    /// <summary>Throws unless every target's tree is exactly <paramref name="expectedTree"/> (the last commit's checkout, .git aside).</summary>
    public static void VerifyTrees(string expectedTree, IReadOnlyList<string> deliveredTrees)
    {
        var expected = Directory.EnumerateFiles(expectedTree, "*", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(expectedTree, file))
            .Where(file => !file.StartsWith(".git", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        for (var i = 0; i < deliveredTrees.Count; i++)
        {
            var tree = deliveredTrees[i];
            var held = Directory.Exists(tree)
                ? Directory.EnumerateFiles(tree, "*", SearchOption.AllDirectories).Select(file => Path.GetRelativePath(tree, file)).Order(StringComparer.Ordinal).ToList()
                : [];
            if (!held.SequenceEqual(expected))
            {
                var missing = expected.Except(held).Take(3);
                var extra = held.Except(expected).Take(3);
                throw new InvalidOperationException(
                    $"STORM FAILED: target {i} holds {held.Count} files, the last commit {expected.Count} (missing: {string.Join(", ", missing)}; extra: {string.Join(", ", extra)}).");
            }

            foreach (var file in expected)
            {
                if (!File.ReadAllBytes(Path.Combine(expectedTree, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(tree, file))))
                {
                    throw new InvalidOperationException($"STORM FAILED: target {i} holds another {file} than the last commit's.");
                }
            }
        }
    }

    /// <summary>The rsync runs a target served, from its forced command's log (each line a command a client ran; Courier's is <c>mkdir -p -- ROOT; rsync --server ...</c>).</summary>
    public static int RsyncRuns(string log) =>
        File.Exists(log) ? File.ReadLines(log).Count(line => line.Contains("rsync --server", StringComparison.Ordinal)) : 0;

    /// <summary>Every report the host kept that started at or after <paramref name="since"/>, newest first, paging through <c>/reports</c>.</summary>
    public static async Task<List<JsonElement>> ReportsAsync(CourierHostProcess host, DateTimeOffset since)
    {
        var reports = new List<JsonElement>();
        string? before = null;
        do
        {
            var page = JsonDocument.Parse(await host.Client.GetStringAsync(before is null ? "/reports?limit=500" : $"/reports?limit=500&before={before}")).RootElement;
            reports.AddRange(page.GetProperty("reports").EnumerateArray().Select(report => report.Clone()));
            before = page.TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (before is not null);
        return [.. reports.Where(report => report.GetProperty("started_at").GetDateTimeOffset() >= since)];
    }

    /// <summary>
    /// The source runs behind the reports: triggers folded into one run share its source report, so identical
    /// source reports (same revision, same per-target durations) are one run. Returns the runs and rsync attempts per target.
    /// </summary>
    public static (int SourceRuns, Dictionary<string, int> AttemptsPerTarget) SourceRuns(IEnumerable<JsonElement> reports)
    {
        var runs = new HashSet<string>(StringComparer.Ordinal);
        var attempts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var source in reports.SelectMany(report => report.GetProperty("sources").EnumerateArray()))
        {
            if (!runs.Add(source.GetRawText()))
            {
                continue;
            }

            foreach (var delivery in source.GetProperty("destinations").EnumerateArray().SelectMany(d => d.GetProperty("deliveries").EnumerateArray()))
            {
                var target = delivery.GetProperty("target").GetString()!;
                attempts[target] = attempts.GetValueOrDefault(target) + (delivery.TryGetProperty("attempts", out var a) ? a.GetInt32() : 1);
            }
        }

        return (runs.Count, attempts);
    }

    /// <summary>The sum of a metric's series in the Prometheus text of <c>/metrics</c> (with or without <c>_total</c>); null when absent.</summary>
    public static double? Metric(string prometheusText, string name)
    {
        double? sum = null;
        foreach (var line in prometheusText.Split('\n'))
        {
            if (line.StartsWith('#') || line.Length == 0)
            {
                continue;
            }

            var metric = line[..line.IndexOfAny(['{', ' '])];
            if (metric == name || metric == name + "_total")
            {
                sum = (sum ?? 0) + double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return sum;
    }
}
