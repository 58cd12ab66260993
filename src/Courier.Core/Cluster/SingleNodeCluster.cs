using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Courier.Core.Cluster;

/// <summary>
/// The default coordination: one Courier, no engine. It is its only member and always has its lease; its source locks
/// and pending triggers live in this process (the engine's own per-source coalescing already runs one update of a
/// source at a time, so its lock is always free there).
/// </summary>
internal sealed class SingleNodeCluster : IClusterMembership, ISourceLocks, IPendingTriggers, ITargetShares
{
    private readonly ConcurrentDictionary<string, Held> _held = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<PendingTrigger>> _pending = new(StringComparer.Ordinal);

    public string MemberName { get; } = Environment.MachineName;

    public bool IsClustered => false;

    public bool HasLease => true;

    public string? LeaseProblem => null;

    public Task<IReadOnlyList<ClusterMember>> MembersAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ClusterMember>>([new ClusterMember(MemberName, null, null, true)]);

    public async Task<ISourceLock?> TryAcquireAsync(string sourceId, TimeSpan wait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sourceId);
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            var held = new Held(this, sourceId);
            if (_held.TryAdd(sourceId, held))
            {
                return held;
            }

            if (DateTime.UtcNow >= deadline)
            {
                return null;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken).ConfigureAwait(false);
        }
    }

    public Task AddAsync(PendingTrigger trigger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        _pending.GetOrAdd(trigger.SourceId, _ => new ConcurrentQueue<PendingTrigger>()).Enqueue(trigger);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<PendingTrigger>> TakeAsync(string sourceId, CancellationToken cancellationToken)
    {
        var taken = new List<PendingTrigger>();
        if (_pending.TryGetValue(sourceId, out var queue))
        {
            while (queue.TryDequeue(out var trigger))
            {
                taken.Add(trigger);
            }
        }

        return Task.FromResult<IReadOnlyList<PendingTrigger>>(taken);
    }

    public Task<bool> AnyAsync(string sourceId, CancellationToken cancellationToken) =>
        Task.FromResult(_pending.TryGetValue(sourceId, out var queue) && !queue.IsEmpty);

    // A run of this process ends with it: nothing else could run it again, so nothing is recorded.
    public Task<long> StartAsync(PendingTrigger run, CancellationToken cancellationToken) => Task.FromResult(0L);

    public Task FinishAsync(string sourceId, long started, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<string>> UnfinishedSourcesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([.. _pending.Where(pair => !pair.Value.IsEmpty).Select(pair => pair.Key)]);

    // No other member to hand a share to: every delivery stays here, and no order ever arrives.
    public int MinTargets => int.MaxValue;

    public Task PublishAsync(ShareOrder order, CancellationToken cancellationToken) => throw new InvalidOperationException("a single node has no member to hand a share to.");

    public Task<ShareAnswer?> AnswerOfAsync(ShareOrder order, CancellationToken cancellationToken) => Task.FromResult<ShareAnswer?>(null);

    public Task WithdrawAsync(ShareOrder order, CancellationToken cancellationToken) => Task.CompletedTask;

    public async IAsyncEnumerable<ReceivedShare> ReceiveAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        yield break;
    }

    public Task AnswerAsync(ShareOrder order, ShareAnswer answer, CancellationToken cancellationToken) => Task.CompletedTask;

    private sealed class Held(SingleNodeCluster owner, string sourceId) : ISourceLock
    {
        public string SourceId { get; } = sourceId;

        // Nothing else delivers the source, so the targets need no token (and one restart would reset a counter).
        public long? FencingToken => null;

        public CancellationToken Lost => CancellationToken.None;

        public ValueTask DisposeAsync()
        {
            owner._held.TryRemove(new KeyValuePair<string, Held>(SourceId, this));
            return ValueTask.CompletedTask;
        }
    }
}
