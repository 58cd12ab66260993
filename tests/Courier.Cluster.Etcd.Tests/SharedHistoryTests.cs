using System.Net;
using Courier.Testing;

namespace Courier.Cluster.Etcd.Tests;

/// <summary>
/// Two real hosts on one etcd: the report history is shared, so /reports and the sources of /status answer the same
/// on both, each report naming the member that ran it; a host without its lease answers from its own history.
/// </summary>
[Collection(SharedEtcd.Name)]
public sealed class SharedHistoryTests(EtcdCluster etcd)
{
    private readonly string _cluster = $"history-{Guid.NewGuid():N}"[..16];

    [Fact]
    public async Task Reports_and_status_agree_on_every_member_and_name_the_member_that_ran_each_update()
    {
        await using var site = await ClusterSite.CreateAsync();
        await using var a = await site.StartHostAsync("a", _cluster, etcd.Endpoints);
        await using var b = await site.StartHostAsync("b", _cluster, etcd.Endpoints);
        Assert.Equal((HttpStatusCode.OK, "ok"), await a.PostAsync("/update_all"));
        site.Root.WriteFile("hermes/app/settings.json", "{\"version\": 2}");
        Assert.Equal((HttpStatusCode.OK, "ok"), await b.PostAsync("/update_all"));

        await Eventually.TrueAsync(async () => (await ReportsAsync(a)).Count == 2 && (await ReportsAsync(b)).Count == 2, "both members list both reports", TimeSpan.FromSeconds(10));

        var fromA = await ReportsAsync(a);
        var fromB = await ReportsAsync(b);
        Assert.Equal(fromA.Select(r => r.Id), fromB.Select(r => r.Id));
        Assert.Equal(["b", "a"], fromA.Select(r => r.Member));
        var statusA = (await ClusterSite.GetJsonAsync(a, "/status")).Body;
        var statusB = (await ClusterSite.GetJsonAsync(b, "/status")).Body;
        Assert.Equal(statusA.GetProperty("sources").GetRawText(), statusB.GetProperty("sources").GetRawText());
        Assert.Equal(statusA.GetProperty("last_update").GetString(), statusB.GetProperty("last_update").GetString());
        Assert.Equal(fromA[0].Id, statusA.GetProperty("last_update").GetString());

        // The page for people shows the same, and the members.
        var page = await b.Client.GetStringAsync("/status");
        Assert.Contains("This page is from member <strong>b</strong>, which holds its lease.", page, StringComparison.Ordinal);
        Assert.Contains("<tr><td>a</td>", page, StringComparison.Ordinal);
        Assert.Contains("<tr><td>b</td>", page, StringComparison.Ordinal);
    }

    private static async Task<List<(string Id, string? Member)>> ReportsAsync(Courier.Testing.CourierHostProcess host)
    {
        var (status, body) = await ClusterSite.GetJsonAsync(host, "/reports");
        Assert.Equal(200, status);
        return [.. body.GetProperty("reports").EnumerateArray().Select(r => (r.GetProperty("id").GetString()!, r.GetProperty("member").GetString()))];
    }
}
