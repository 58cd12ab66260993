using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Courier.Testing;

namespace Courier.Bench;

/// <summary>
/// Courier as a cluster of <c>N</c> real hosts on one etcd, sharing one configuration (each host its own state and
/// hermes directory), triggered with <c>POST /update_from_git</c> on the first host: that host runs the source and
/// splits its targets across the members.
/// </summary>
internal sealed class ClusterRunner : IDeliveryRunner, IAsyncDisposable
{
    private readonly DeliveryBench _bench;
    private readonly List<CourierHostProcess> _hosts;
    private readonly HttpClient _client;

    private ClusterRunner(DeliveryBench bench, List<CourierHostProcess> hosts)
    {
        _bench = bench;
        _hosts = hosts;
        _client = new HttpClient { BaseAddress = new Uri(hosts[0].BaseUrl), Timeout = TimeSpan.FromMinutes(30) };
    }

    public string Method => $"cluster-{_hosts.Count}";

    /// <summary>The report of the last delivery, as the first host answered it.</summary>
    public JsonElement LastReport { get; private set; }

    public static async Task<ClusterRunner> StartAsync(DeliveryBench bench, EtcdCluster etcd, int replicas)
    {
        var root = bench.Temp.Combine($"cluster-{replicas}");
        CourierConfiguration.Prepare(Path.Combine(root, "config"), bench.Key.PrivateKeyPath);
        var hosts = new List<CourierHostProcess>();
        try
        {
            for (var n = 0; n < replicas; n++)
            {
                hosts.Add(await CourierHostProcess.StartAsync(new CourierHostProcessOptions
                {
                    ConfigPath = Path.Combine(root, "config"),
                    HermesDirectory = Path.Combine(root, $"hermes-{n}"),
                    StateDirectory = Path.Combine(root, $"state-{n}"),
                    Settings = new Dictionary<string, string>
                    {
                        ["Courier:Cluster:Etcd:Endpoints"] = string.Join(",", etcd.Endpoints),
                        ["Courier:Cluster:Name"] = $"bench-{replicas}",
                        ["Courier:Cluster:MemberName"] = $"m{n}",
                        // Split from 2 targets on, so that the smallest run (scripts/test.sh) splits too.
                        ["Courier:Cluster:FanOut:MinTargets"] = "2",
                        ["Courier:Ssh:StrictHostKeyChecking"] = "no",
                        ["Logging:LogLevel:Default"] = "Warning",
                    },
                }));
            }

            var runner = new ClusterRunner(bench, hosts);
            await runner.WaitForMembersAsync();
            return runner;
        }
        catch
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }

            throw;
        }
    }

    public async Task DeliverAsync(BenchRepository repository, int iteration)
    {
        CourierConfiguration.Write(_bench.Temp.Combine(Method, "config"), repository.Url, _bench.Servers, i => _bench.TargetPath(Method, i, iteration));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/update_from_git")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { url = repository.Url, branch = "master" }), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await _client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{Method} answered {(int)response.StatusCode} {body}:\n{CourierRunner.Tail(_hosts[0].Logs)}");
        }

        LastReport = JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Each member's share of the last delivery: its targets, and the sum and the longest of their transfer times.</summary>
    public IEnumerable<(string Member, int Targets, TimeSpan Total, TimeSpan Longest)> Shares() =>
        LastReport.GetProperty("sources")[0].GetProperty("destinations").EnumerateArray()
            .SelectMany(destination => destination.GetProperty("deliveries").EnumerateArray())
            .Select(delivery => (Member: delivery.GetProperty("member").GetString() ?? "?", Duration: TimeSpan.Parse(delivery.GetProperty("duration").GetString()!, CultureInfo.InvariantCulture)))
            .GroupBy(delivery => delivery.Member)
            .OrderBy(group => group.Key, StringComparer.Ordinal)
            .Select(group => (group.Key, group.Count(), TimeSpan.FromTicks(group.Sum(d => d.Duration.Ticks)), group.Max(d => d.Duration)));

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }
    }

    private async Task WaitForMembersAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/status");
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            using var response = await _client.SendAsync(request);
            var members = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("cluster").GetProperty("members").GetArrayLength();
            if (members == _hosts.Count)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Method}: {members} of {_hosts.Count} members registered within 60 s.");
            }

            await Task.Delay(200);
        }
    }
}
