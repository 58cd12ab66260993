using System.Text.Json;
using Courier.Core.Cluster;
using Etcdserverpb;
using Google.Protobuf;

namespace Courier.Cluster.Etcd;

/// <summary>
/// Pending triggers as etcd keys without a lease (they outlive the member that wrote them), one per trigger under the
/// source's prefix; taken with one delete of the prefix that returns what it deleted, so two takers never both get one.
/// </summary>
internal sealed class EtcdPendingTriggers(EtcdGateway etcd, EtcdKeys keys) : IPendingTriggers
{
    public async Task AddAsync(PendingTrigger trigger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        var put = new PutRequest
        {
            Key = EtcdKeys.Bytes(keys.NewPending(trigger.SourceId, trigger.AcceptedAt)),
            Value = ByteString.CopyFrom(JsonSerializer.SerializeToUtf8Bytes(trigger)),
        };
        await etcd.CallAsync("a pending trigger", (headers, deadline, ct) => etcd.Client.PutAsync(put, headers, deadline, ct), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<PendingTrigger>> TakeAsync(string sourceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sourceId);
        var prefix = keys.PendingPrefix(sourceId);
        var delete = new DeleteRangeRequest { Key = EtcdKeys.Bytes(prefix), RangeEnd = EtcdKeys.RangeEnd(prefix), PrevKv = true };
        var answer = await etcd.CallAsync("taking pending triggers", (headers, deadline, ct) => etcd.Client.DeleteAsync(delete, headers, deadline, ct), cancellationToken).ConfigureAwait(false);
        return [.. answer.PrevKvs
            .OrderBy(kv => kv.Key.ToStringUtf8(), StringComparer.Ordinal)
            .Select(kv => JsonSerializer.Deserialize<PendingTrigger>(kv.Value.Span))
            .OfType<PendingTrigger>()];
    }

    public async Task<bool> AnyAsync(string sourceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sourceId);
        var prefix = keys.PendingPrefix(sourceId);
        var range = new RangeRequest { Key = EtcdKeys.Bytes(prefix), RangeEnd = EtcdKeys.RangeEnd(prefix), CountOnly = true };
        var answer = await etcd.CallAsync("looking for pending triggers", (headers, deadline, ct) => etcd.Client.GetAsync(range, headers, deadline, ct), cancellationToken).ConfigureAwait(false);
        return answer.Count > 0;
    }

    public async Task<long> StartAsync(PendingTrigger run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var put = new PutRequest { Key = EtcdKeys.Bytes(keys.Running(run.SourceId)), Value = ByteString.CopyFrom(JsonSerializer.SerializeToUtf8Bytes(run)) };
        var answer = await etcd.CallAsync("the record of a run", (headers, deadline, ct) => etcd.Client.PutAsync(put, headers, deadline, ct), cancellationToken).ConfigureAwait(false);
        return answer.Header.Revision;
    }

    public async Task FinishAsync(string sourceId, long started, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sourceId);
        var key = EtcdKeys.Bytes(keys.Running(sourceId));
        var txn = new TxnRequest();
        txn.Compare.Add(new Compare { Key = key, Target = Compare.Types.CompareTarget.Mod, Result = Compare.Types.CompareResult.Equal, ModRevision = started });
        txn.Success.Add(new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = key } });
        await etcd.CallAsync("the end of a run", (headers, deadline, ct) => etcd.Client.TransactionAsync(txn, headers, deadline, ct), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<string>> UnfinishedSourcesAsync(CancellationToken cancellationToken)
    {
        var sources = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var prefix in new[] { keys.AllPendingPrefix, keys.RunningPrefix })
        {
            var range = new RangeRequest { Key = EtcdKeys.Bytes(prefix), RangeEnd = EtcdKeys.RangeEnd(prefix), KeysOnly = true, Limit = 1000 };
            var answer = await etcd.CallAsync("looking for unfinished runs", (headers, deadline, ct) => etcd.Client.GetAsync(range, headers, deadline, ct), cancellationToken).ConfigureAwait(false);
            sources.UnionWith(answer.Kvs.Select(kv => keys.SourceOf(kv.Key.ToStringUtf8(), prefix)));
        }

        return [.. sources];
    }
}
