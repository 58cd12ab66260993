using Courier.Core.Cluster;
using Courier.Testing;

namespace Courier.Cluster.Etcd.Tests;

/// <summary>Membership and pending triggers on a real 3-member etcd.</summary>
[Collection(SharedEtcd.Name)]
public sealed class MembershipAndPendingTests(EtcdCluster etcd)
{
    private readonly string _cluster = $"members-{Guid.NewGuid():N}"[..16];

    [Fact]
    public async Task Membership_lists_the_live_members_with_their_addresses_and_drops_a_dead_one()
    {
        await using var a = await ClusterMemberClient.StartAsync(etcd, "a", _cluster);
        await using var b = await ClusterMemberClient.StartAsync(etcd, "b", _cluster);
        await using var c = await ClusterMemberClient.StartAsync(etcd, "c", _cluster);

        var members = await b.Membership.MembersAsync(CancellationToken.None);
        Assert.Equal(["a", "b", "c"], members.Select(m => m.Name));
        Assert.All(members, m => Assert.True(m.Healthy));
        Assert.Equal("http://a.test:8080", members[0].ApiAddress);

        c.Die();
        var gone = await Eventually.TrueAsync(
            async () => (await a.Membership.MembersAsync(CancellationToken.None)).Select(m => m.Name).SequenceEqual(["a", "b"]),
            "c is dropped",
            TimeSpan.FromSeconds(3 + 3));
        Assert.True(gone < TimeSpan.FromSeconds(6));
    }

    [Fact]
    public async Task A_member_that_stops_cleanly_leaves_at_once()
    {
        await using var a = await ClusterMemberClient.StartAsync(etcd, "a", _cluster, leaseTtlSeconds: 10);
        var b = await ClusterMemberClient.StartAsync(etcd, "b", _cluster, leaseTtlSeconds: 10);
        await b.DisposeAsync();

        Assert.Equal(["a"], (await a.Membership.MembersAsync(CancellationToken.None)).Select(m => m.Name));
    }

    [Fact]
    public async Task A_pending_trigger_written_by_one_member_is_seen_and_taken_by_the_other_once()
    {
        await using var a = await ClusterMemberClient.StartAsync(etcd, "a", _cluster);
        await using var b = await ClusterMemberClient.StartAsync(etcd, "b", _cluster);
        var at = DateTimeOffset.UtcNow;
        await a.Pending.AddAsync(new PendingTrigger("git/repo", "a", at, "git push one"), CancellationToken.None);
        await a.Pending.AddAsync(new PendingTrigger("git/repo", "a", at.AddMilliseconds(1), "git push two"), CancellationToken.None);
        await a.Pending.AddAsync(new PendingTrigger("git", "a", at, "a source whose id is a prefix"), CancellationToken.None);

        Assert.True(await b.Pending.AnyAsync("git/repo", CancellationToken.None));
        var taken = await b.Pending.TakeAsync("git/repo", CancellationToken.None);

        Assert.Equal(["git push one", "git push two"], taken.Select(t => t.Trigger));
        Assert.All(taken, t => Assert.Equal("a", t.AcceptedBy));
        Assert.Empty(await a.Pending.TakeAsync("git/repo", CancellationToken.None));
        Assert.False(await a.Pending.AnyAsync("git/repo", CancellationToken.None));
        Assert.True(await a.Pending.AnyAsync("git", CancellationToken.None));
    }

    [Fact]
    public async Task A_pending_trigger_outlives_the_member_that_wrote_it()
    {
        await using var b = await ClusterMemberClient.StartAsync(etcd, "b", _cluster);
        var a = await ClusterMemberClient.StartAsync(etcd, "a", _cluster, leaseTtlSeconds: 2);
        await a.Pending.AddAsync(new PendingTrigger("src", "a", DateTimeOffset.UtcNow, "hook"), CancellationToken.None);
        a.Die();
        await Eventually.TrueAsync(
            async () => (await b.Membership.MembersAsync(CancellationToken.None)).All(m => m.Name != "a"),
            "a is gone",
            TimeSpan.FromSeconds(5));

        Assert.Equal(["hook"], (await b.Pending.TakeAsync("src", CancellationToken.None)).Select(t => t.Trigger));
        await a.DisposeAsync();
    }
}
