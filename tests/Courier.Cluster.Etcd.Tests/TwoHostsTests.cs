using System.Globalization;
using System.Net;
using System.Text.Json;
using Courier.Testing;

namespace Courier.Cluster.Etcd.Tests;

/// <summary>
/// Two real Courier hosts on one etcd, one sshd target: a hook to each at once delivers the source with no two runs at
/// once (a validation command logs each run's start and end), and both show the cluster on /status and /health/ready.
/// </summary>
[Collection(SharedEtcd.Name)]
public sealed class TwoHostsTests(EtcdCluster etcd) : IAsyncLifetime
{
    private readonly TempDirectory _root = TempDirectory.Create("courier-two-hosts");
    private readonly string _cluster = $"hosts-{Guid.NewGuid():N}"[..14];
    private SshServer _target = null!;

    public async Task InitializeAsync() => _target = await SshServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _target.DisposeAsync();
        _root.Dispose();
    }

    [Fact]
    public async Task Hooks_to_both_hosts_at_once_deliver_the_source_with_no_concurrent_run()
    {
        var runs = _root.Combine("runs.log");
        var check = _root.WriteFile("check.sh", "#!/bin/sh\necho \"start $(date +%s%N) $PPID\" >> \"$1\"\nsleep 1\necho \"end $(date +%s%N) $PPID\" >> \"$1\"\n");
        File.SetUnixFileMode(check, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var key = _root.Combine("config", "keys", "courier.key");
        Directory.CreateDirectory(Path.GetDirectoryName(key)!);
        File.Copy(_target.ClientKey.PrivateKeyPath, key);
        _root.WriteFile("hermes/app/settings.json", "{\"version\": 1}");
        _root.WriteFile("config/sources/app.json", JsonSerializer.Serialize(new object[]
        {
            new Dictionary<string, object> { ["type"] = "hermes-directory", ["subdirectory"] = "app", ["destinations"] = new[] { "target" }, ["validate"] = new object[] { new[] { check, runs } } },
        }));
        Directory.CreateDirectory(_root.Combine("target"));
        _root.WriteFile("config/destinations.json", JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["target"] = new Dictionary<string, object>
            {
                ["type"] = "ssh",
                ["address"] = _target.Endpoint,
                ["path"] = _root.Combine("target"),
                ["ssh"] = new Dictionary<string, object> { ["user"] = _target.User, ["key"] = "keys/courier.key", ["sudo"] = false },
            },
        }));

        await using var a = await StartHostAsync("a");
        await using var b = await StartHostAsync("b");

        var answers = await Task.WhenAll(a.PostAsync("/update_all"), b.PostAsync("/update_all"));

        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.OK, answer.Status));
        Assert.Equal("{\"version\": 1}", File.ReadAllText(_root.Combine("target", "app", "settings.json")));
        // The host that found the lock held ran nothing: it wrote a pending trigger, which the holder ran after its own run.
        var intervals = ReadRuns(runs);
        Assert.Equal(2, intervals.Count);
        Assert.Equal(intervals[0].Host, intervals[1].Host);
        Assert.Single(new[] { a, b }, host => host.Logs.Contains("written as its pending trigger", StringComparison.Ordinal));
        for (var i = 1; i < intervals.Count; i++)
        {
            Assert.True(intervals[i].Start >= intervals[i - 1].End, $"run {i} started before run {i - 1} ended:\n{File.ReadAllText(runs)}");
        }

        foreach (var host in new[] { a, b })
        {
            var status = JsonDocument.Parse(await GetJsonAsync(host, "/status")).RootElement.GetProperty("cluster");
            Assert.Equal(["a", "b"], status.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("name").GetString()));
            Assert.All(status.GetProperty("members").EnumerateArray(), m => Assert.True(m.GetProperty("healthy").GetBoolean()));
            var ready = JsonDocument.Parse(await host.Client.GetStringAsync("/health/ready")).RootElement;
            Assert.Equal("healthy", ready.GetProperty("checks").GetProperty("cluster").GetProperty("status").GetString());
        }
    }

    private Task<CourierHostProcess> StartHostAsync(string member) => CourierHostProcess.StartAsync(new CourierHostProcessOptions
    {
        ConfigPath = _root.Combine("config"),
        HermesDirectory = _root.Combine("hermes"),
        StateDirectory = _root.Combine($"state-{member}"),
        Settings = new Dictionary<string, string>
        {
            ["Courier:Cluster:Etcd:Endpoints"] = string.Join(",", etcd.Endpoints),
            ["Courier:Cluster:Name"] = _cluster,
            ["Courier:Cluster:MemberName"] = member,
            ["Courier:Cluster:LeaseTtl"] = "00:00:03",
            ["Courier:Cluster:Etcd:Timeout"] = "00:00:02",
            ["Courier:Ssh:StrictHostKeyChecking"] = "accept-new",
        },
    });

    private static async Task<string> GetJsonAsync(CourierHostProcess host, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new System.Net.Http.Headers.MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await host.Client.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Each run's start and end (nanoseconds) and the host process that ran it.</summary>
    private static List<(long Start, long End, string Host)> ReadRuns(string path)
    {
        var lines = File.ReadAllLines(path).Select(line => line.Split(' ')).ToList();
        var runs = new List<(long Start, long End, string Host)>();
        for (var i = 0; i + 1 < lines.Count; i += 2)
        {
            Assert.True(lines[i][0] == "start" && lines[i + 1][0] == "end", $"two runs at once:\n{File.ReadAllText(path)}");
            runs.Add((long.Parse(lines[i][1], CultureInfo.InvariantCulture), long.Parse(lines[i + 1][1], CultureInfo.InvariantCulture), lines[i][2]));
        }

        Assert.Equal(lines.Count, runs.Count * 2);
        return runs;
    }
}
