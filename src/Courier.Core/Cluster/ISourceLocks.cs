namespace Courier.Core.Cluster;

/// <summary>
/// One run of a source in the whole cluster: a lock per source, held under this member's lease, that yields a fencing
/// token. A lease-based lock cannot promise a single holder (a holder frozen past its lease still runs), so whatever
/// the run changes should carry <see cref="ISourceLock.FencingToken"/> and refuse an older one.
/// </summary>
public interface ISourceLocks
{
    /// <summary>
    /// Takes the lock of <paramref name="sourceId"/>, waiting up to <paramref name="wait"/> for its holder to release it
    /// (<see cref="TimeSpan.Zero"/>: one attempt). Null when another holder still has it.
    /// </summary>
    /// <exception cref="ClusterUnavailableException">This member has no lease, or the engine did not answer within its deadline.</exception>
    Task<ISourceLock?> TryAcquireAsync(string sourceId, TimeSpan wait, CancellationToken cancellationToken);
}

/// <summary>A held source lock; disposing it releases the lock (best effort: the lease ends it anyway).</summary>
public interface ISourceLock : IAsyncDisposable
{
    /// <summary>The source the lock is for.</summary>
    string SourceId { get; }

    /// <summary>
    /// Strictly greater than the token of every earlier holder of this source's lock (with etcd: the revision at which
    /// the lock key was created); null when the engine has no other member that could hold it (a single node).
    /// Deliveries under the lock carry it to the targets (<see cref="DeliveryOptions.FencingToken"/>).
    /// </summary>
    long? FencingToken { get; }

    /// <summary>Cancelled when the lock is lost before it is released (the lease expired or was revoked).</summary>
    CancellationToken Lost { get; }
}
