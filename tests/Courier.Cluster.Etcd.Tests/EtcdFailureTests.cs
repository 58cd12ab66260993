using Courier.Core.Cluster;
using Courier.Testing;

namespace Courier.Cluster.Etcd.Tests;

/// <summary>An etcd member stopped: the two left are a majority, and the cluster of Couriers keeps working.</summary>
public sealed class EtcdFailureTests(EtcdCluster etcd) : IClassFixture<EtcdCluster>
{
    [Fact]
    public async Task With_one_etcd_member_stopped_leases_locks_and_pending_triggers_keep_working()
    {
        await using var a = await ClusterMemberClient.StartAsync(etcd, "a", "failure", leaseTtlSeconds: 3);
        await using var b = await ClusterMemberClient.StartAsync(etcd, "b", "failure", leaseTtlSeconds: 3);
        var before = await a.Locks.TryAcquireAsync("src", TimeSpan.Zero, CancellationToken.None);
        Assert.NotNull(before);
        await before.DisposeAsync();

        await etcd.StopMemberAsync(0);

        // Longer than a lease: both leases were renewed through the members left.
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.True(a.Membership.HasLease, a.Membership.LeaseProblem);
        Assert.True(b.Membership.HasLease, b.Membership.LeaseProblem);
        Assert.Equal(["a", "b"], (await b.Membership.MembersAsync(CancellationToken.None)).Select(m => m.Name));

        var held = await a.Locks.TryAcquireAsync("src", TimeSpan.Zero, CancellationToken.None);
        Assert.NotNull(held);
        Assert.True(held.FencingToken > before.FencingToken);
        Assert.Null(await b.Locks.TryAcquireAsync("src", TimeSpan.Zero, CancellationToken.None));
        await b.Pending.AddAsync(new PendingTrigger("src", "b", DateTimeOffset.UtcNow, "hook"), CancellationToken.None);
        Assert.Single(await a.Pending.TakeAsync("src", CancellationToken.None));
        Assert.False(held.Lost.IsCancellationRequested);
        await held.DisposeAsync();
    }
}
