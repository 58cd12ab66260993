using Courier.Core.Cluster;
using Courier.Testing;
using Etcdserverpb;

namespace Courier.Cluster.Etcd.Tests;

/// <summary>The per-source lock on a real 3-member etcd: exclusive, fenced, and gone with its holder's lease.</summary>
[Collection(SharedEtcd.Name)]
public sealed class SourceLockTests(EtcdCluster etcd)
{
    private readonly string _cluster = $"locks-{Guid.NewGuid():N}"[..14];

    [Fact]
    public async Task The_lock_is_exclusive_across_two_members_and_its_fencing_tokens_strictly_increase()
    {
        await using var a = await ClusterMemberClient.StartAsync(etcd, "a", _cluster);
        await using var b = await ClusterMemberClient.StartAsync(etcd, "b", _cluster);

        var first = await a.Locks.TryAcquireAsync("src", TimeSpan.Zero, CancellationToken.None);
        Assert.NotNull(first);
        Assert.Null(await b.Locks.TryAcquireAsync("src", TimeSpan.Zero, CancellationToken.None));
        Assert.Null(await a.Locks.TryAcquireAsync("src", TimeSpan.Zero, CancellationToken.None));
        Assert.NotNull(await b.Locks.TryAcquireAsync("another source", TimeSpan.Zero, CancellationToken.None));
        await first.DisposeAsync();

        var inside = 0;
        var maxInside = 0;
        var tokens = new List<long> { first.FencingToken!.Value };
        async Task ContendAsync(ClusterMemberClient member)
        {
            for (var i = 0; i < 8; i++)
            {
                var held = await member.Locks.TryAcquireAsync("src", TimeSpan.FromSeconds(20), CancellationToken.None);
                Assert.NotNull(held);
                await using (held)
                {
                    var now = Interlocked.Increment(ref inside);
                    lock (tokens)
                    {
                        maxInside = Math.Max(maxInside, now);
                        tokens.Add(held.FencingToken!.Value);
                    }

                    await Task.Delay(30);
                    Interlocked.Decrement(ref inside);
                }
            }
        }

        await Task.WhenAll(ContendAsync(a), ContendAsync(b));

        Assert.Equal(1, maxInside);
        Assert.Equal(17, tokens.Count);
        for (var i = 1; i < tokens.Count; i++)
        {
            Assert.True(tokens[i] > tokens[i - 1], $"token {i} ({tokens[i]}) is not above the one before ({tokens[i - 1]}): {string.Join(", ", tokens)}");
        }
    }

    [Fact]
    public async Task A_holder_that_dies_loses_the_lock_within_the_lease_ttl_and_another_member_takes_it()
    {
        await using var a = await ClusterMemberClient.StartAsync(etcd, "a", _cluster, leaseTtlSeconds: 3);
        await using var b = await ClusterMemberClient.StartAsync(etcd, "b", _cluster, leaseTtlSeconds: 3);
        var held = await a.Locks.TryAcquireAsync("src", TimeSpan.Zero, CancellationToken.None);
        Assert.NotNull(held);

        a.Die();
        var started = DateTime.UtcNow;
        var taken = await b.Locks.TryAcquireAsync("src", TimeSpan.FromSeconds(10), CancellationToken.None);
        var waited = DateTime.UtcNow - started;

        Assert.NotNull(taken);
        Assert.True(taken.FencingToken > held.FencingToken);
        Assert.True(waited < TimeSpan.FromSeconds(3 + 3), $"took {waited.TotalSeconds:0.0} s");
        Assert.False(a.Membership.HasLease);
        Assert.NotNull(a.Membership.LeaseProblem);
    }

    [Fact]
    public async Task A_holder_whose_lease_is_revoked_is_told_it_lost_the_lock_and_another_member_takes_it()
    {
        await using var a = await ClusterMemberClient.StartAsync(etcd, "a", _cluster, leaseTtlSeconds: 3);
        await using var b = await ClusterMemberClient.StartAsync(etcd, "b", _cluster, leaseTtlSeconds: 3);
        var held = await a.Locks.TryAcquireAsync("src", TimeSpan.Zero, CancellationToken.None);
        Assert.NotNull(held);

        var gateway = b.Get<EtcdGateway>();
        await gateway.Client.LeaseRevokeAsync(new LeaseRevokeRequest { ID = a.Session.Current!.Id }, null, DateTime.UtcNow.AddSeconds(5), CancellationToken.None);

        var taken = await b.Locks.TryAcquireAsync("src", TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.NotNull(taken);
        Assert.True(taken.FencingToken > held.FencingToken);
        await Eventually.TrueAsync(() => held.Lost.IsCancellationRequested, "a's lock reports lost", TimeSpan.FromSeconds(3 + 3));

        // a gets a new lease, and its old lock's release does not remove b's lock.
        await Eventually.TrueAsync(() => a.Membership.HasLease, "a has a new lease", TimeSpan.FromSeconds(5));
        await held.DisposeAsync();
        Assert.Null(await a.Locks.TryAcquireAsync("src", TimeSpan.Zero, CancellationToken.None));
    }

    [Fact]
    public async Task A_member_without_its_lease_takes_no_lock()
    {
        await using var a = await ClusterMemberClient.StartAsync(etcd, "a", _cluster, leaseTtlSeconds: 2);
        a.Die();
        await Eventually.TrueAsync(() => !a.Membership.HasLease, "a's lease ran out", TimeSpan.FromSeconds(4));

        await Assert.ThrowsAsync<ClusterUnavailableException>(() => a.Locks.TryAcquireAsync("src", TimeSpan.Zero, CancellationToken.None));
    }
}
