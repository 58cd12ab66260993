using System.Net;
using Courier.Testing;

namespace Courier.Cluster.Etcd.Tests;

/// <summary>
/// A cluster member whose etcd cannot be reached: it starts, says it is not ready, delivers no shared source and says
/// why, and still serves an agent starting (<c>POST /update_hermes</c>); bad cluster settings stop it at start-up.
/// </summary>
public sealed class HostWithoutEtcdTests
{
    [Fact]
    public async Task Without_etcd_the_host_is_not_ready_delivers_no_shared_source_and_still_serves_update_hermes()
    {
        await using var site = await ClusterSite.CreateAsync();
        await using var host = await site.StartHostAsync("lonely", "no-etcd", [$"http://127.0.0.1:{FreePort.Next()}"]);

        var (readyStatus, ready) = await ClusterSite.GetJsonAsync(host, "/health/ready");
        Assert.Equal(503, readyStatus);
        Assert.Equal("unhealthy", ready.GetProperty("checks").GetProperty("cluster").GetProperty("status").GetString());
        var cluster = (await ClusterSite.GetJsonAsync(host, "/status")).Body.GetProperty("cluster");
        Assert.Equal("lonely", cluster.GetProperty("member").GetString());
        Assert.False(cluster.GetProperty("leased").GetBoolean());
        Assert.Contains("etcd", cluster.GetProperty("problem").GetString(), StringComparison.Ordinal);
        var page = await host.Client.GetStringAsync("/status");
        Assert.Contains("This page is from member <strong>lonely</strong>, which <strong class=\"failed\">has no lease</strong>", page, StringComparison.Ordinal);

        var (status, body) = await host.PostAsync("/update_all", acceptJson: true);
        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Contains("the cluster lock of the source could not be taken", body, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(site.TargetDirectory, "app", "settings.json")));

        var agent = site.Root.Combine("agent-etc-opt");
        Directory.CreateDirectory(agent);
        Assert.Equal((HttpStatusCode.OK, "ok"), await host.PostAsync("/update_hermes", $$"""{"ssh": "{{site.Target.Endpoint}}", "path": "{{agent}}"}"""));
        Assert.Equal("{\"version\": 1}", File.ReadAllText(Path.Combine(agent, "app", "settings.json")));
    }

    [Fact]
    public async Task Bad_cluster_settings_stop_the_host_at_start_up_naming_them()
    {
        await using var site = await ClusterSite.CreateAsync();

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => site.StartHostAsync("m", "bad", ["127.0.0.1:2379"], new Dictionary<string, string>
        {
            ["Courier:Cluster:LeaseTtl"] = "00:00:01",
            ["Courier:Cluster:Etcd:Password"] = "do-not-log-me",
        }));

        Assert.Contains("Courier cannot start", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Courier:Cluster:Etcd:Endpoints has \"127.0.0.1:2379\"", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Courier:Cluster:LeaseTtl", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("do-not-log-me", failure.Message, StringComparison.Ordinal);
    }
}
