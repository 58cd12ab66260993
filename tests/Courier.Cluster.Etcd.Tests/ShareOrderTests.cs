using Courier.Core.Cluster;
using Courier.Testing;

namespace Courier.Cluster.Etcd.Tests;

/// <summary>Shares as etcd carries them, between two members on a real 3-member etcd, without hosts.</summary>
[Collection(SharedEtcd.Name)]
public sealed class ShareOrderTests(EtcdCluster etcd)
{
    private readonly string _cluster = $"shares-{Guid.NewGuid():N}"[..15];

    [Fact]
    public async Task A_member_receives_only_shares_whose_runner_holds_the_source_lock_with_their_token_and_sees_a_withdrawal()
    {
        await using var a = await ClusterMemberClient.StartAsync(etcd, "a", _cluster);
        await using var b = await ClusterMemberClient.StartAsync(etcd, "b", _cluster);
        var runner = a.Get<ITargetShares>();
        await using var held = await a.Locks.TryAcquireAsync("app", TimeSpan.Zero, CancellationToken.None);
        var token = held!.FencingToken!.Value;

        // Listed in key order, so the forged ones come first: one with a token no lock had, one from a member without the lock.
        await runner.PublishAsync(Order("1-forged-token", token + 1000, "a"), CancellationToken.None);
        await runner.PublishAsync(Order("2-forged-runner", token, "c"), CancellationToken.None);
        await runner.PublishAsync(Order("3-real", token, "a"), CancellationToken.None);

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var received = b.Get<ITargetShares>().ReceiveAsync(stop.Token).GetAsyncEnumerator(stop.Token);
        Assert.True(await received.MoveNextAsync());
        var real = received.Current;
        Assert.Equal("3-real", real.Order.Id);
        Assert.Equal(token, real.Order.FencingToken);
        Assert.False(real.Withdrawn.IsCancellationRequested);

        await runner.AnswerAsync(real.Order, new ShareAnswer("just a test", []), CancellationToken.None);
        Assert.Equal("just a test", (await runner.AnswerOfAsync(real.Order, CancellationToken.None))?.Error);
        await runner.WithdrawAsync(real.Order, CancellationToken.None);
        var next = received.MoveNextAsync().AsTask();
        await Eventually.TrueAsync(() => real.Withdrawn.IsCancellationRequested, "the withdrawal reaches the member", TimeSpan.FromSeconds(5));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next);
    }

    private static ShareOrder Order(string id, long token, string runner) =>
        new(id, "app", "r1", token, runner, "b", [new ShareTarget("target", "127.0.0.1:22:/srv/hermes")]);
}
