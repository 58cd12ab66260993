using System.Runtime.CompilerServices;
using System.Text.Json;
using Courier.Core.Cluster;
using Courier.Core.History;
using Etcdserverpb;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Courier.Cluster.Etcd;

/// <summary>
/// Shares as etcd keys: an order under <c>shares/MEMBER/ID</c> held by the runner's lease (it goes when the runner
/// does), its answer under <c>answers/ID</c> held by the answering member's lease. Both sides look every
/// <c>Courier:Cluster:FanOut:PollInterval</c>, each look one request with the etcd deadline; a member whose key is
/// gone has left, and its share is the runner's again.
/// </summary>
internal sealed partial class EtcdTargetShares(EtcdGateway etcd, EtcdKeys keys, EtcdSession session, IOptions<EtcdClusterOptions> options, TimeProvider time, ILogger<EtcdTargetShares> logger) : ITargetShares
{
    private static readonly TimeSpan LongestBackoff = TimeSpan.FromSeconds(5);

    private TimeSpan PollInterval => options.Value.FanOut.PollInterval;

    public int MinTargets => options.Value.FanOut.MinTargets;

    public async Task PublishAsync(ShareOrder order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        var put = new PutRequest { Key = EtcdKeys.Bytes(keys.Share(order.Member, order.Id)), Value = Serialize(order), Lease = session.Require().Id };
        await etcd.CallAsync("a share", (headers, deadline, ct) => etcd.Client.PutAsync(put, headers, deadline, ct), cancellationToken).ConfigureAwait(false);
    }

    public async Task<ShareAnswer?> AnswerOfAsync(ShareOrder order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        var answer = new RangeRequest { Key = EtcdKeys.Bytes(keys.Answer(order.Id)) };
        var member = new RangeRequest { Key = EtcdKeys.Bytes(keys.Member(order.Member)), CountOnly = true };
        while (true)
        {
            // One transaction, so an answer written just before its member left is still read.
            var txn = new TxnRequest();
            txn.Success.Add(new RequestOp { RequestRange = answer });
            txn.Success.Add(new RequestOp { RequestRange = member });
            var read = await etcd.CallAsync("the answer to a share", (headers, deadline, ct) => etcd.Client.TransactionAsync(txn, headers, deadline, ct), cancellationToken).ConfigureAwait(false);
            if (read.Responses[0].ResponseRange.Kvs.FirstOrDefault() is { } found)
            {
                return JsonSerializer.Deserialize<ShareAnswer>(found.Value.Span, UpdateReportJson.Options);
            }

            if (read.Responses[1].ResponseRange.Count == 0)
            {
                return null;
            }

            await Task.Delay(PollInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task WithdrawAsync(ShareOrder order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        var txn = new TxnRequest();
        txn.Success.Add(new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = EtcdKeys.Bytes(keys.Share(order.Member, order.Id)) } });
        txn.Success.Add(new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = EtcdKeys.Bytes(keys.Answer(order.Id)) } });
        try
        {
            await etcd.CallAsync("withdrawing a share", (headers, deadline, ct) => etcd.Client.TransactionAsync(txn, headers, deadline, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterUnavailableException e)
        {
            LogWithdrawFailed(order.Id, e.Message);
        }
    }

    public async IAsyncEnumerable<ReceivedShare> ReceiveAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var prefix = keys.SharesPrefix(session.MemberName);
        var range = new RangeRequest { Key = EtcdKeys.Bytes(prefix), RangeEnd = EtcdKeys.RangeEnd(prefix), Limit = 1000 };
        // Each order seen and not yet gone, with what cancels its share once the runner withdraws it.
        var seen = new Dictionary<string, CancellationTokenSource>(StringComparer.Ordinal);
        var wait = PollInterval;
        try
        {
            while (true)
            {
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
                RangeResponse listed;
                try
                {
                    listed = await etcd.CallAsync("the shares handed to this member", (headers, deadline, ct) => etcd.Client.GetAsync(range, headers, deadline, ct), cancellationToken).ConfigureAwait(false);
                    wait = PollInterval;
                }
                catch (ClusterUnavailableException e)
                {
                    wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, LongestBackoff.Ticks));
                    LogReceiveFailed(e.Message, wait.TotalSeconds);
                    continue;
                }

                var present = listed.Kvs.Select(kv => kv.Key.ToStringUtf8()).ToHashSet(StringComparer.Ordinal);
                foreach (var gone in seen.Keys.Where(key => !present.Contains(key)).ToList())
                {
                    seen.Remove(gone, out var withdrawn);
                    await withdrawn!.CancelAsync().ConfigureAwait(false);
                    withdrawn.Dispose();
                }

                foreach (var kv in listed.Kvs.Where(kv => !seen.ContainsKey(kv.Key.ToStringUtf8())))
                {
                    var order = Deserialize(kv.Value);
                    bool current;
                    try
                    {
                        current = order is not null && await HeldByRunnerAsync(order, cancellationToken).ConfigureAwait(false);
                    }
                    catch (ClusterUnavailableException e)
                    {
                        // Looked at again next time.
                        LogReceiveFailed(e.Message, wait.TotalSeconds);
                        continue;
                    }

                    var withdrawn = new CancellationTokenSource();
                    seen[kv.Key.ToStringUtf8()] = withdrawn;
                    if (current)
                    {
                        yield return new ReceivedShare(order!, withdrawn.Token);
                    }
                    else if (order is not null)
                    {
                        LogIgnored(order.SourceId, order.Runner, order.FencingToken);
                    }
                }
            }
        }
        finally
        {
            foreach (var withdrawn in seen.Values)
            {
                withdrawn.Dispose();
            }
        }
    }

    public async Task AnswerAsync(ShareOrder order, ShareAnswer answer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        var put = new PutRequest { Key = EtcdKeys.Bytes(keys.Answer(order.Id)), Value = Serialize(answer), Lease = session.Require().Id };
        await etcd.CallAsync("the answer to a share", (headers, deadline, ct) => etcd.Client.PutAsync(put, headers, deadline, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Whether the order is for this member and its runner holds the source's lock with the order's fencing token
    /// (the lock key's create revision): a share from a runner that lost its turn, or one written by anyone else with
    /// access to etcd, is never delivered, so no target gets a token that no lock ever had.
    /// </summary>
    private async Task<bool> HeldByRunnerAsync(ShareOrder order, CancellationToken cancellationToken)
    {
        if (order.Member != session.MemberName || order.FencingToken is not { } token)
        {
            return false;
        }

        var range = new RangeRequest { Key = EtcdKeys.Bytes(keys.Lock(order.SourceId)) };
        var read = await etcd.CallAsync("the lock of a share's source", (headers, deadline, ct) => etcd.Client.GetAsync(range, headers, deadline, ct), cancellationToken).ConfigureAwait(false);
        return read.Kvs.FirstOrDefault() is { } held && held.CreateRevision == token && held.Value.ToStringUtf8() == order.Runner;
    }

    private static ByteString Serialize<T>(T value) => ByteString.CopyFrom(JsonSerializer.SerializeToUtf8Bytes(value, UpdateReportJson.Options));

    private ShareOrder? Deserialize(ByteString value)
    {
        try
        {
            return JsonSerializer.Deserialize<ShareOrder>(value.Span, UpdateReportJson.Options);
        }
        catch (JsonException e)
        {
            LogUnreadable(e.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A share could not be withdrawn ({OrderId}): {Reason}; it ends with this member's lease")]
    private partial void LogWithdrawFailed(string orderId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The shares handed to this member could not be read: {Reason}; next look in {Seconds} s")]
    private partial void LogReceiveFailed(string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A share of source {Source} from {Runner} (fencing token {FencingToken}) ignored: that member does not hold the source's lock with that token")]
    private partial void LogIgnored(string source, string runner, long? fencingToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A share handed to this member could not be read: {Reason}")]
    private partial void LogUnreadable(string reason);
}
