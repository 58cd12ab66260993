using System.Net;
using Courier.Testing;

namespace Courier.Cluster.Etcd.Tests;

/// <summary>
/// A host on an etcd cluster of its own (this test stops its members): with one member of three stopped it delivers
/// as before; with a majority stopped it loses its lease, says so on /health/ready, delivers no shared source and says
/// why, and still answers /health, /hermes_address, its own /status and an agent starting (/update_hermes).
/// </summary>
public sealed class MajorityLossTests : IAsyncLifetime
{
    private readonly EtcdCluster _etcd = new();

    public Task InitializeAsync() => _etcd.InitializeAsync();

    public Task DisposeAsync() => _etcd.DisposeAsync();

    [Fact]
    public async Task One_etcd_member_lost_changes_nothing_and_a_majority_lost_stops_shared_deliveries_but_not_update_hermes()
    {
        await using var site = await ClusterSite.CreateAsync();
        await using var host = await site.StartHostAsync("m", "majority", _etcd.Endpoints, new Dictionary<string, string> { ["Courier:SshAddress"] = "127.0.0.1:2222" });
        Assert.Equal((HttpStatusCode.OK, "ok"), await host.PostAsync("/update_all"));
        Assert.Equal("{\"version\": 1}", site.Delivered);

        await _etcd.StopMemberAsync(0);
        site.Root.WriteFile("hermes/app/settings.json", "{\"version\": 2}");
        Assert.Equal((HttpStatusCode.OK, "ok"), await host.PostAsync("/update_all"));
        Assert.Equal("{\"version\": 2}", site.Delivered);
        Assert.Equal(200, (await ClusterSite.GetJsonAsync(host, "/health/ready")).Status);

        await _etcd.StopMemberAsync(1);
        await Eventually.TrueAsync(async () => (await ClusterSite.GetJsonAsync(host, "/health/ready")).Status == 503, "the host says it is not ready", TimeSpan.FromSeconds(20));
        site.Root.WriteFile("hermes/app/settings.json", "{\"version\": 3}");

        var (status, body) = await host.PostAsync("/update_all", acceptJson: true);

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Contains("the cluster lock of the source could not be taken", body, StringComparison.Ordinal);
        Assert.Equal("{\"version\": 2}", site.Delivered);
        var cluster = (await ClusterSite.GetJsonAsync(host, "/status")).Body.GetProperty("cluster");
        Assert.False(cluster.GetProperty("leased").GetBoolean());
        var (reportsStatus, reports) = await ClusterSite.GetJsonAsync(host, "/reports");
        Assert.Equal(200, reportsStatus);
        Assert.True(reports.GetProperty("reports").GetArrayLength() >= 3, "its own history, without etcd");
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/health")).StatusCode);
        using var hermesAddress = await host.Client.GetAsync("/hermes_address");
        Assert.Equal(HttpStatusCode.OK, hermesAddress.StatusCode);
        Assert.Contains("127.0.0.1:2222", await hermesAddress.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var agent = site.Root.Combine("agent-etc-opt");
        Directory.CreateDirectory(agent);
        Assert.Equal((HttpStatusCode.OK, "ok"), await host.PostAsync("/update_hermes", $$"""{"ssh": "{{site.Target.Endpoint}}", "path": "{{agent}}"}"""));
        Assert.Equal("{\"version\": 3}", File.ReadAllText(Path.Combine(agent, "app", "settings.json")));
    }
}
