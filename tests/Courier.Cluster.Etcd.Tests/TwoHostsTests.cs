using System.Globalization;
using System.Net;
using Courier.Testing;

namespace Courier.Cluster.Etcd.Tests;

/// <summary>
/// Two real Courier hosts on one etcd, one sshd target: a hook to each at once delivers the source with no two runs at
/// once (a validation command logs each run's start and end), and both show the cluster on /status and /health/ready.
/// </summary>
[Collection(SharedEtcd.Name)]
public sealed class TwoHostsTests(EtcdCluster etcd)
{
    private readonly string _cluster = $"hosts-{Guid.NewGuid():N}"[..14];

    [Fact]
    public async Task Hooks_to_both_hosts_at_once_deliver_the_source_with_no_concurrent_run()
    {
        var scripts = Courier.Testing.TempDirectory.Create("courier-runs");
        var runs = scripts.Combine("runs.log");
        var check = scripts.WriteFile("check.sh", "#!/bin/sh\necho \"start $(date +%s%N) $PPID\" >> \"$1\"\nsleep 1\necho \"end $(date +%s%N) $PPID\" >> \"$1\"\n");
        File.SetUnixFileMode(check, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await using var site = await ClusterSite.CreateAsync(validate: [check, runs]);
        await using var a = await site.StartHostAsync("a", _cluster, etcd.Endpoints);
        await using var b = await site.StartHostAsync("b", _cluster, etcd.Endpoints);

        var answers = await Task.WhenAll(a.PostAsync("/update_all"), b.PostAsync("/update_all"));

        Assert.All(answers, answer => Assert.Equal((HttpStatusCode.OK, "ok"), answer));
        Assert.Equal("{\"version\": 1}", File.ReadAllText(Path.Combine(site.TargetDirectory, "app", "settings.json")));

        // The host that found the lock held ran nothing: it wrote a pending trigger, which the holder ran after its own run.
        var intervals = ReadRuns(runs);
        Assert.Equal(2, intervals.Count);
        Assert.True(intervals[1].Start >= intervals[0].End, File.ReadAllText(runs));
        Assert.Equal(intervals[0].Host, intervals[1].Host);
        Assert.Single(new[] { a, b }, host => host.Logs.Contains("trigger all sources written as its pending trigger", StringComparison.Ordinal));

        foreach (var host in new[] { a, b })
        {
            var cluster = (await ClusterSite.GetJsonAsync(host, "/status")).Body.GetProperty("cluster");
            Assert.True(cluster.GetProperty("leased").GetBoolean());
            Assert.Equal(["a", "b"], cluster.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("name").GetString()));
            Assert.All(cluster.GetProperty("members").EnumerateArray(), m => Assert.True(m.GetProperty("healthy").GetBoolean()));
            var (status, ready) = await ClusterSite.GetJsonAsync(host, "/health/ready");
            Assert.Equal(200, status);
            Assert.Equal("healthy", ready.GetProperty("checks").GetProperty("cluster").GetProperty("status").GetString());
        }

        scripts.Dispose();
    }

    /// <summary>Each run's start and end (nanoseconds) and the host process that ran it; two runs at once interleave their lines.</summary>
    private static List<(long Start, long End, string Host)> ReadRuns(string path)
    {
        var lines = File.ReadAllLines(path).Select(line => line.Split(' ')).ToList();
        var runs = new List<(long Start, long End, string Host)>();
        for (var i = 0; i + 1 < lines.Count; i += 2)
        {
            Assert.True(lines[i][0] == "start" && lines[i + 1][0] == "end" && lines[i][2] == lines[i + 1][2], $"two runs at once:\n{File.ReadAllText(path)}");
            runs.Add((long.Parse(lines[i][1], CultureInfo.InvariantCulture), long.Parse(lines[i + 1][1], CultureInfo.InvariantCulture), lines[i][2]));
        }

        Assert.Equal(lines.Count, runs.Count * 2);
        return runs;
    }
}
