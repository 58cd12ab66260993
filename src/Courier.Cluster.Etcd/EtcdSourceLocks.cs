using Courier.Core.Cluster;
using Etcdserverpb;
using Microsoft.Extensions.Logging;

namespace Courier.Cluster.Etcd;

/// <summary>
/// Source locks as etcd keys under this member's lease: one transaction "if the key does not exist, put it (with the
/// lease), else read it". The winner's fencing token is the revision of that put, which is the key's create revision
/// and greater than any earlier holder's. Losers poll until the key is gone or their wait ends. A lock ends when it is
/// released (deleted only while it is still this holder's key) or when the lease does.
/// </summary>
internal sealed partial class EtcdSourceLocks(EtcdSession session, EtcdGateway etcd, EtcdKeys keys, ILogger<EtcdSourceLocks> logger) : ISourceLocks
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    public async Task<ISourceLock?> TryAcquireAsync(string sourceId, TimeSpan wait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sourceId);
        var waitUntil = DateTime.UtcNow + wait;
        while (true)
        {
            var lease = session.Require();
            var key = EtcdKeys.Bytes(keys.Lock(sourceId));
            var txn = new TxnRequest();
            txn.Compare.Add(new Compare { Key = key, Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Equal, CreateRevision = 0 });
            txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = key, Value = EtcdKeys.Bytes(session.MemberName), Lease = lease.Id } });
            txn.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = key } });
            var answer = await etcd.CallAsync("a source lock", (headers, deadline, ct) => etcd.Client.TransactionAsync(txn, headers, deadline, ct), cancellationToken).ConfigureAwait(false);
            if (answer.Succeeded)
            {
                var token = answer.Header.Revision;
                LogAcquired(sourceId, token);
                return new Held(this, sourceId, token, lease.Ended);
            }

            if (DateTime.UtcNow + PollInterval > waitUntil)
            {
                var holder = answer.Responses.FirstOrDefault()?.ResponseRange?.Kvs.FirstOrDefault()?.Value.ToStringUtf8();
                LogHeldElsewhere(sourceId, holder ?? "(gone)");
                return null;
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Deletes the lock key, only while it is still the one this holder created.</summary>
    private async Task ReleaseAsync(string sourceId, long token)
    {
        var key = EtcdKeys.Bytes(keys.Lock(sourceId));
        var txn = new TxnRequest();
        txn.Compare.Add(new Compare { Key = key, Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Equal, CreateRevision = token });
        txn.Success.Add(new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = key } });
        try
        {
            await etcd.CallAsync("a source lock release", (headers, deadline, ct) => etcd.Client.TransactionAsync(txn, headers, deadline, ct), CancellationToken.None).ConfigureAwait(false);
        }
        catch (ClusterUnavailableException e)
        {
            // The lease ends the key anyway.
            LogReleaseFailed(sourceId, token, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Took the cluster lock of source {Source}, fencing token {FencingToken}")]
    private partial void LogAcquired(string source, long fencingToken);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The cluster lock of source {Source} is held by {Holder}")]
    private partial void LogHeldElsewhere(string source, string holder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The cluster lock of source {Source} (fencing token {FencingToken}) was not released: {Problem}; it ends with the lease")]
    private partial void LogReleaseFailed(string source, long fencingToken, string problem);

    private sealed class Held(EtcdSourceLocks owner, string sourceId, long token, CancellationToken lost) : ISourceLock
    {
        private int _released;

        public string SourceId { get; } = sourceId;

        public long? FencingToken => token;

        public CancellationToken Lost { get; } = lost;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                await owner.ReleaseAsync(SourceId, token).ConfigureAwait(false);
            }
        }
    }
}
