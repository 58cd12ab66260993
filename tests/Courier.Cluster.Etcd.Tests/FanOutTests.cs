using System.Net;
using System.Text.Json;
using Courier.Core.Cluster;
using Courier.Testing;
using Xunit.Abstractions;

namespace Courier.Cluster.Etcd.Tests;

/// <summary>
/// Three real hosts on one etcd, many sshd targets: the targets of a source are split across the live members by
/// rendezvous hashing, each member delivering its share itself; a member that leaves moves its share alone; and a
/// rollout wave ends when every member's part of it is done, so a failure in another member's part stops the next wave.
/// </summary>
[Collection(SharedEtcd.Name)]
public sealed class FanOutTests(EtcdCluster etcd, ITestOutputHelper output)
{
    private static readonly Dictionary<string, string> Splitting = new()
    {
        ["Courier:Cluster:FanOut:MinTargets"] = "2",
        ["Courier:Cluster:FanOut:PollInterval"] = "00:00:00.100",
    };

    /// <summary>The id of the site's source (a hermes-directory source is named by its subdirectory).</summary>
    private const string SourceId = "hermes-directory:app";

    private readonly string _cluster = $"fanout-{Guid.NewGuid():N}"[..15];

    [Fact]
    public async Task The_targets_are_split_across_the_members_and_a_member_that_leaves_moves_only_its_share()
    {
        await using var site = await ClusterSite.CreateAsync(targets: 9);
        await using var a = await site.StartHostAsync("a", _cluster, etcd.Endpoints, Splitting);
        await using var b = await site.StartHostAsync("b", _cluster, etcd.Endpoints, Splitting);
        await using var c = await site.StartHostAsync("c", _cluster, etcd.Endpoints, Splitting);
        await WaitForMembersAsync(a, "a", "b", "c");

        var update = await UpdateAsync(a);
        Assert.Equal(SourceId, update.GetProperty("sources")[0].GetProperty("source").GetString());
        var first = Deliveries(update);
        Assert.Equal(9, first.Count);
        Assert.All(first, pair => Assert.True(pair.Value.Succeeded, pair.Key.ToString()));
        Assert.All(first, pair => Assert.Equal(OwnerOf(site, pair.Key.Alias, "a", "b", "c"), pair.Value.Member));
        Assert.True(first.Values.Select(d => d.Member).Distinct().Count() >= 2, "one member delivered every target");
        Assert.All(Enumerable.Range(1, 9), n => Assert.Equal("{\"version\": 1}", site.DeliveredTo(n)));
        foreach (var (member, host) in new[] { ("b", b), ("c", c) })
        {
            var share = first.Values.Count(d => d.Member == member);
            if (share > 0)
            {
                await LoggedAsync(host, $"Delivering {share} targets of source {SourceId}");
            }
            else
            {
                Assert.DoesNotContain($"targets of source {SourceId} at", host.Logs, StringComparison.Ordinal);
            }
        }

        // Every member's /status says who delivered each target, as the runner's report does.
        foreach (var host in new[] { a, b, c })
        {
            // The shared history is read at most a second late.
            await Eventually.TrueAsync(async () => (await ClusterSite.GetJsonAsync(host, "/status")).Body.GetProperty("sources").GetArrayLength() == 1, "the update is on /status", TimeSpan.FromSeconds(5));
            var targets = (await ClusterSite.GetJsonAsync(host, "/status")).Body.GetProperty("sources")[0].GetProperty("targets").EnumerateArray().ToList();
            Assert.Equal(9, targets.Count);
            Assert.All(targets, t => Assert.Equal(first[(t.GetProperty("destination").GetString()!, t.GetProperty("target").GetString()!)].Member, t.GetProperty("last_success").GetProperty("member").GetString()));
        }

        Assert.Contains($"<small>by {first.Values.First().Member}</small>", await b.Client.GetStringAsync("/status"), StringComparison.Ordinal);
        output.WriteLine($"shares of 9 targets: {string.Join(", ", first.Values.GroupBy(d => d.Member).Select(g => $"{g.Key} {g.Count()}"))}");

        await c.StopAsync();
        await WaitForMembersAsync(a, "a", "b");
        site.Root.WriteFile("hermes/app/settings.json", "{\"version\": 2}");
        var second = Deliveries(await UpdateAsync(a));

        Assert.All(second, pair => Assert.True(pair.Value.Succeeded, pair.Key.ToString()));
        Assert.All(first.Where(pair => pair.Value.Member != "c"), pair => Assert.Equal(pair.Value.Member, second[pair.Key].Member));
        Assert.All(first.Where(pair => pair.Value.Member == "c"), pair => Assert.Equal(OwnerOf(site, pair.Key.Alias, "a", "b"), second[pair.Key].Member));
        Assert.All(Enumerable.Range(1, 9), n => Assert.Equal("{\"version\": 2}", site.DeliveredTo(n)));
    }

    [Fact]
    public async Task A_wave_ends_when_every_member_s_part_is_done_and_a_failure_in_another_member_s_part_stops_the_rollout()
    {
        var rollout = new Dictionary<string, object> { ["waves"] = new object[] { 3, "100%" }, ["max_failures"] = 0 };
        await using var site = await ClusterSite.CreateAsync(targets: 8, rollout: rollout);
        await using var a = await site.StartHostAsync("a", _cluster, etcd.Endpoints, Splitting);
        await using var b = await site.StartHostAsync("b", _cluster, etcd.Endpoints, Splitting);
        await using var c = await site.StartHostAsync("c", _cluster, etcd.Endpoints, Splitting);
        await WaitForMembersAsync(a, "a", "b", "c");
        var completed = await UpdateAsync(a);
        Assert.Equal("completed", RolloutOf(completed).GetProperty("outcome").GetString());

        // A target that another member than the runner (a) owns once broken goes first, in wave 1 with two more.
        var broken = Enumerable.Range(1, 8).First(n => OwnerAt(site, ClusterSite.AliasOf(n), site.Root.Combine("not-a-directory", ClusterSite.AliasOf(n)), "a", "b", "c") != "a");
        var order = Enumerable.Range(1, 8).OrderBy(n => n != broken).ToList();
        site.WriteSource([.. order.Select(ClusterSite.AliasOf)], rollout);
        site.WriteDestinations(8, [broken]);
        site.Root.WriteFile("hermes/app/settings.json", "{\"version\": 2}");

        var stopped = await UpdateAsync(a, HttpStatusCode.InternalServerError);

        var report = RolloutOf(stopped);
        Assert.Equal("stopped", report.GetProperty("outcome").GetString());
        Assert.Equal(1, report.GetProperty("stopped_at_wave").GetInt32());
        var deliveries = Deliveries(stopped);
        var failed = Assert.Single(deliveries, pair => !pair.Value.Succeeded);
        Assert.Equal(ClusterSite.AliasOf(broken), failed.Key.Alias);
        Assert.NotEqual("a", failed.Value.Member);
        Assert.DoesNotContain(deliveries, pair => order.Skip(3).Select(ClusterSite.AliasOf).Contains(pair.Key.Alias));
        Assert.All(order.Where(n => n != broken), n => Assert.Equal("{\"version\": 1}", site.DeliveredTo(n)));
        output.WriteLine($"wave 1 (the broken {ClusterSite.AliasOf(broken)} first): {string.Join(", ", deliveries.Select(d => $"{d.Key.Alias} by {d.Value.Member}"))}");
    }

    [Fact]
    public async Task A_member_that_pulls_another_revision_delivers_nothing_and_leaves_its_share_to_the_runner()
    {
        await using var site = await ClusterSite.CreateAsync(targets: 9);
        // Member b reads a hermes directory of its own: what it pulls is not the revision the runner validated.
        site.Root.WriteFile("hermes-b/app/settings.json", "{\"version\": \"b's own\"}");
        await using var a = await site.StartHostAsync("a", _cluster, etcd.Endpoints, Splitting);
        await using var b = await site.StartHostAsync("b", _cluster, etcd.Endpoints, Splitting, hermesDirectory: site.Root.Combine("hermes-b"));
        await WaitForMembersAsync(a, "a", "b");
        var share = Enumerable.Range(1, 9).Count(n => OwnerOf(site, ClusterSite.AliasOf(n), "a", "b") == "b");
        Assert.NotEqual(0, share);

        var deliveries = Deliveries(await UpdateAsync(a));

        Assert.Equal(9, deliveries.Count);
        Assert.All(deliveries, pair => Assert.Equal("a", pair.Value.Member));
        Assert.All(Enumerable.Range(1, 9), n => Assert.Equal("{\"version\": 1}", site.DeliveredTo(n)));
        await LoggedAsync(a, $"member b did not deliver its {share} targets (member b pulled ");
        await LoggedAsync(b, $"Share of source {SourceId} for member a not delivered here: member b pulled ");
    }

    [Fact]
    public async Task A_member_killed_while_it_delivers_its_share_leaves_the_share_to_the_runner()
    {
        // The first rsync to each path listed waits on the target, long enough to kill the member that runs it.
        using var stalls = new StallingTargets();
        await using var site = await ClusterSite.CreateAsync(targets: 9, server: stalls.Server(seconds: 8, once: true));
        await using var a = await site.StartHostAsync("a", _cluster, etcd.Endpoints, Splitting);
        await using var b = await site.StartHostAsync("b", _cluster, etcd.Endpoints, Splitting);
        await using var c = await site.StartHostAsync("c", _cluster, etcd.Endpoints, Splitting);
        await WaitForMembersAsync(a, "a", "b", "c");

        // target-2 to target-9 only: the path of target (1) is the start of every other one.
        var owners = Enumerable.Range(2, 8).ToDictionary(n => n, n => OwnerOf(site, ClusterSite.AliasOf(n), "a", "b", "c"));
        var victim = owners.Values.First(owner => owner != "a");
        var share = owners.Where(pair => pair.Value == victim).Select(pair => pair.Key).ToList();
        stalls.Stall(share.Select(n => site.Root.Combine(ClusterSite.AliasOf(n))));
        var victimHost = victim == "b" ? b : c;

        var answered = a.PostAsync("/update_all", acceptJson: true);
        await Eventually.TrueAsync(() => stalls.Started, $"member {victim}'s share is being delivered", TimeSpan.FromSeconds(30));
        var killed = System.Diagnostics.Stopwatch.StartNew();
        System.Diagnostics.Process.GetProcessById(victimHost.ProcessId).Kill();
        var (status, body) = await answered;

        output.WriteLine($"member {victim} (targets {string.Join(", ", share)}) killed mid-share; the runner answered {killed.Elapsed.TotalSeconds:F1} s later (lease TTL 3 s)");
        Assert.True(status == HttpStatusCode.OK, body);
        var deliveries = Deliveries(JsonDocument.Parse(body).RootElement);
        Assert.All(share, n => Assert.Equal("a", deliveries.Single(d => d.Key.Alias == ClusterSite.AliasOf(n)).Value.Member));
        Assert.DoesNotContain(deliveries, d => d.Value.Member == victim);
        Assert.All(Enumerable.Range(1, 9), n => Assert.Equal("{\"version\": 1}", site.DeliveredTo(n)));
        var whole = Enumerable.Range(1, 9).Count(n => OwnerOf(site, ClusterSite.AliasOf(n), "a", "b", "c") == victim);
        await LoggedAsync(a, $"member {victim} did not deliver its {whole} targets (it left the cluster before answering); delivering them here");
    }

    [Fact]
    public async Task A_share_whose_runner_gave_up_at_its_deadline_is_ended_on_its_member_and_not_answered()
    {
        // Every rsync to a listed path waits on the target far past the runner's deadline.
        using var stalls = new StallingTargets();
        await using var site = await ClusterSite.CreateAsync(targets: 9, server: stalls.Server(seconds: 30, once: false));
        // The member's own deadline is far later than the runner's: only the withdrawal can end its share in time.
        await using var a = await site.StartHostAsync("a", _cluster, etcd.Endpoints, new Dictionary<string, string>(Splitting) { ["Courier:Timeouts:Update"] = "00:00:06" });
        await using var b = await site.StartHostAsync("b", _cluster, etcd.Endpoints, new Dictionary<string, string>(Splitting) { ["Courier:Timeouts:Update"] = "00:02:00" });
        await WaitForMembersAsync(a, "a", "b");
        var share = Enumerable.Range(2, 8).Where(n => OwnerOf(site, ClusterSite.AliasOf(n), "a", "b") == "b").ToList();
        Assert.NotEmpty(share);
        stalls.Stall(share.Select(n => site.Root.Combine(ClusterSite.AliasOf(n))));

        var (status, body) = await a.PostAsync("/update_all", acceptJson: true);

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Contains("did not finish within Courier:Timeouts:Update", body, StringComparison.Ordinal);
        await LoggedAsync(b, $"Share of source {SourceId} for member a ended: the runner withdrew it");
        Assert.DoesNotContain("delivered but not answered", b.Logs, StringComparison.Ordinal);
    }

    /// <summary>Waits up to 5 s for <paramref name="line"/> in the host's log: its console logger writes from a queue, so a line can trail the answer it preceded.</summary>
    private static async Task LoggedAsync(CourierHostProcess host, string line)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (!host.Logs.Contains(line, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"not logged within 5 s: {line}\n{host.Logs}");
            await Task.Delay(100);
        }
    }

    /// <summary>The member that owns an ssh target (named by its address, <c>HOST:PORT:PATH</c>) among <paramref name="members"/>.</summary>
    private static string OwnerOf(ClusterSite site, string alias, params string[] members) => OwnerAt(site, alias, site.Root.Combine(alias), members);

    private static string OwnerAt(ClusterSite site, string alias, string path, params string[] members) =>
        Rendezvous.OwnerOf(TargetSharing.KeyOf(SourceId, alias, $"{site.Target.Endpoint}:{path}"), members);

    private static async Task WaitForMembersAsync(CourierHostProcess host, params string[] names) =>
        await Eventually.TrueAsync(
            async () => (await ClusterSite.GetJsonAsync(host, "/status")).Body.GetProperty("cluster").GetProperty("members").EnumerateArray().Select(m => m.GetProperty("name").GetString()).SequenceEqual(names),
            $"the members are {string.Join(", ", names)}",
            TimeSpan.FromSeconds(20));

    private static async Task<JsonElement> UpdateAsync(CourierHostProcess host, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var (status, body) = await host.PostAsync("/update_all", acceptJson: true);
        Assert.True(status == expected, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static JsonElement RolloutOf(JsonElement report) => report.GetProperty("sources")[0].GetProperty("rollout");

    /// <summary>Each target's delivery (its first: a rollback comes after it): who delivered it, and how it went.</summary>
    private static Dictionary<(string Alias, string Target), (string? Member, bool Succeeded, string? Note)> Deliveries(JsonElement report)
    {
        var deliveries = new Dictionary<(string Alias, string Target), (string? Member, bool Succeeded, string? Note)>();
        foreach (var destination in report.GetProperty("sources")[0].GetProperty("destinations").EnumerateArray())
        {
            Assert.True(destination.GetProperty("error").ValueKind == JsonValueKind.Null, destination.GetRawText());
            foreach (var delivery in destination.GetProperty("deliveries").EnumerateArray())
            {
                deliveries.TryAdd(
                    (destination.GetProperty("alias").GetString()!, delivery.GetProperty("target").GetString()!),
                    (delivery.GetProperty("member").GetString(), delivery.GetProperty("succeeded").GetBoolean(), delivery.GetProperty("note").GetString()));
            }
        }

        return deliveries;
    }
}
