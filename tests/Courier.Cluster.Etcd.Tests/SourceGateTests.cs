using Courier.Core.Cluster;
using Courier.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Courier.Cluster.Etcd.Tests;

/// <summary>
/// The engine's gate around one update of a source, on two members of one etcd: never two runs at once, and a trigger
/// that arrives at the member without the lock is run by the holder after its run.
/// </summary>
[Collection(SharedEtcd.Name)]
public sealed class SourceGateTests(EtcdCluster etcd)
{
    private readonly string _cluster = $"gate-{Guid.NewGuid():N}"[..13];

    [Fact]
    public async Task A_trigger_at_the_member_without_the_lock_is_written_pending_and_run_by_the_holder_after_its_run()
    {
        await using var a = await ClusterMemberClient.StartAsync(etcd, "a", _cluster);
        await using var b = await ClusterMemberClient.StartAsync(etcd, "b", _cluster);
        var source = new NamedSource("git/repo");
        var running = 0;
        var overlapped = false;
        var runsOnA = 0;
        var runsOnB = 0;
        var firstRunStarted = new TaskCompletionSource();
        var releaseFirstRun = new TaskCompletionSource();

        async Task<SourceReport> RunOnAAsync(CancellationToken ct)
        {
            overlapped |= Interlocked.Increment(ref running) > 1;
            if (Interlocked.Increment(ref runsOnA) == 1)
            {
                firstRunStarted.SetResult();
                await releaseFirstRun.Task.WaitAsync(ct);
            }

            Interlocked.Decrement(ref running);
            return new SourceReport(source.Id, source.Type, $"rev-a-{runsOnA}", null, []);
        }

        Task<SourceReport> RunOnBAsync(CancellationToken ct)
        {
            overlapped |= Interlocked.Increment(ref running) > 1;
            Interlocked.Increment(ref runsOnB);
            Interlocked.Decrement(ref running);
            return Task.FromResult(new SourceReport(source.Id, source.Type, "rev-b", null, []));
        }

        var onA = Gate(a).RunAsync(source, "git push one", RunOnAAsync, CancellationToken.None);
        await firstRunStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var onB = await Gate(b).RunAsync(source, "git push two", RunOnBAsync, CancellationToken.None);

        // b ran nothing and said so with no error; its trigger waits in etcd.
        Assert.Null(onB.Revision);
        Assert.Null(onB.Error);
        Assert.Equal(0, runsOnB);
        Assert.True(await a.Pending.AnyAsync(source.Id, CancellationToken.None));

        releaseFirstRun.SetResult();
        var report = await onA.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(2, runsOnA);
        Assert.Equal("rev-a-2", report.Revision);
        Assert.False(overlapped);
        Assert.False(await b.Pending.AnyAsync(source.Id, CancellationToken.None));
    }

    [Fact]
    public async Task A_rollback_at_the_member_without_the_lock_waits_for_the_holder_s_run_then_runs_itself()
    {
        await using var a = await ClusterMemberClient.StartAsync(etcd, "a", _cluster);
        await using var b = await ClusterMemberClient.StartAsync(etcd, "b", _cluster);
        var source = new NamedSource("git/repo");
        var running = 0;
        var overlapped = false;
        var started = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var onA = Gate(a).RunAsync(
            source,
            "git push",
            async ct =>
            {
                overlapped |= Interlocked.Increment(ref running) > 1;
                started.SetResult();
                await release.Task.WaitAsync(ct);
                Interlocked.Decrement(ref running);
                return new SourceReport(source.Id, source.Type, "rev-push", null, []);
            },
            CancellationToken.None);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var refused = await Gate(b).RunWaitingAsync(source, TimeSpan.FromMilliseconds(300), _ => Task.FromResult(new SourceReport(source.Id, source.Type, "rev-too-early", null, [])), CancellationToken.None);
        var rollback = Gate(b).RunWaitingAsync(
            source,
            TimeSpan.FromSeconds(20),
            _ =>
            {
                overlapped |= Interlocked.Increment(ref running) > 1;
                Interlocked.Decrement(ref running);
                return Task.FromResult(new SourceReport(source.Id, source.Type, "rev-rolled-back", null, []));
            },
            CancellationToken.None);
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.False(rollback.IsCompleted, "the rollback ran while the other member held the lock");
        release.SetResult();

        Assert.Equal("rev-push", (await onA.WaitAsync(TimeSpan.FromSeconds(10))).Revision);
        Assert.Equal("rev-rolled-back", (await rollback.WaitAsync(TimeSpan.FromSeconds(10))).Revision);
        Assert.Null(refused.Revision);
        Assert.Contains("another member kept the cluster lock of the source", refused.Error, StringComparison.Ordinal);
        Assert.False(overlapped);
    }

    [Fact]
    public async Task A_run_whose_lease_is_revoked_is_ended_and_reports_the_lost_lock()
    {
        await using var a = await ClusterMemberClient.StartAsync(etcd, "a", _cluster, leaseTtlSeconds: 3);
        await using var b = await ClusterMemberClient.StartAsync(etcd, "b", _cluster, leaseTtlSeconds: 3);
        var started = new TaskCompletionSource();
        var run = Gate(a).RunAsync(
            new NamedSource("src"),
            "hook",
            async ct =>
            {
                started.SetResult();
                await Task.Delay(Timeout.Infinite, ct);
                return new SourceReport("src", "test", "never", null, []);
            },
            CancellationToken.None);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await b.Get<EtcdGateway>().Client.LeaseRevokeAsync(new Etcdserverpb.LeaseRevokeRequest { ID = a.Session.Current!.Id }, null, DateTime.UtcNow.AddSeconds(5), CancellationToken.None);
        var report = await run.WaitAsync(TimeSpan.FromSeconds(3 + 3));

        Assert.Null(report.Revision);
        Assert.Contains("lost the cluster lock of the source", report.Error, StringComparison.Ordinal);
        Assert.NotNull(await b.Locks.TryAcquireAsync("src", TimeSpan.Zero, CancellationToken.None));
    }

    [Fact]
    public async Task Without_its_lease_a_member_runs_nothing_and_reports_why()
    {
        await using var a = await ClusterMemberClient.StartAsync(etcd, "a", _cluster, leaseTtlSeconds: 2);
        a.Die();
        await Eventually.TrueAsync(() => !a.Membership.HasLease, "a's lease ran out", TimeSpan.FromSeconds(4));
        var runs = 0;

        var report = await Gate(a).RunAsync(
            new NamedSource("src"),
            "hook",
            _ => Task.FromResult(new SourceReport("src", "test", $"rev-{++runs}", null, [])),
            CancellationToken.None);

        Assert.Equal(0, runs);
        Assert.Contains("nothing was delivered: the cluster lock of the source could not be taken", report.Error, StringComparison.Ordinal);
    }

    private static ClusterSourceGate Gate(ClusterMemberClient member) =>
        new(member.Locks, member.Pending, member.Membership, TimeProvider.System, NullLogger<ClusterSourceGate>.Instance);

    private sealed class NamedSource(string id) : ISource
    {
        public string Id { get; } = id;

        public string Type => "test";

        public IReadOnlyList<string> Destinations => [];

        public bool Matches(UpdateTrigger trigger) => true;

        public Task<Snapshot> PullAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
