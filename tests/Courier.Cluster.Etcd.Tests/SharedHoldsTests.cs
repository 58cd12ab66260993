using System.Net;
using Courier.Testing;

namespace Courier.Cluster.Etcd.Tests;

/// <summary>Two real hosts on one etcd: a hold placed on one holds the source on the other, and a release on the other delivers it.</summary>
[Collection(SharedEtcd.Name)]
public sealed class SharedHoldsTests(EtcdCluster etcd)
{
    private readonly string _cluster = $"holds-{Guid.NewGuid():N}"[..14];

    [Fact]
    public async Task A_hold_placed_on_one_member_holds_the_source_on_every_member_until_released_on_any()
    {
        await using var site = await ClusterSite.CreateAsync();
        await using var a = await site.StartHostAsync("a", _cluster, etcd.Endpoints);
        await using var b = await site.StartHostAsync("b", _cluster, etcd.Endpoints);

        var (holdStatus, holdBody) = await a.PostAsync("/hold", """{"source": "app", "reason": "checking the canary"}""", acceptJson: true);
        Assert.True(holdStatus == HttpStatusCode.OK, holdBody);

        var (status, body) = await b.PostAsync("/update_all", acceptJson: true);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("checking the canary", body, StringComparison.Ordinal);
        Assert.Null(site.Delivered);
        var holds = (await ClusterSite.GetJsonAsync(b, "/status")).Body.GetProperty("holds");
        Assert.Equal("checking the canary", Assert.Single(holds.EnumerateArray()).GetProperty("reason").GetString());

        var (releaseStatus, releaseBody) = await b.PostAsync("/release", """{"source": "app"}""", acceptJson: true);
        Assert.True(releaseStatus == HttpStatusCode.OK, releaseBody);
        await Eventually.TrueAsync(() => site.Delivered is not null, "the release delivered the source", TimeSpan.FromSeconds(15));
        Assert.Empty((await ClusterSite.GetJsonAsync(a, "/status")).Body.GetProperty("holds").EnumerateArray());
    }
}
