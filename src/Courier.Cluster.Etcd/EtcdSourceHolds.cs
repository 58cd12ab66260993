using System.Text.Json;
using Courier.Core.Cluster;
using Courier.Core.History;
using Courier.Core.Rollouts;
using Etcdserverpb;
using Google.Protobuf;

namespace Courier.Cluster.Etcd;

/// <summary>
/// The holds shared by the members, under <c>/NAME/holds/SOURCE</c> (no lease: a hold outlives the member that
/// placed it), so a rollout stopped by one member, or a <c>POST /hold</c> to any, holds the source on all. Each member
/// mirrors the changes it makes into its own holds file (the store it decorates), which <see cref="AllAsync"/> answers
/// from while etcd cannot be used. Deciding whether to deliver falls back only without the lease, when no shared
/// delivery can run: with it, a hold that cannot be read is a <see cref="HoldStateException"/>, and nothing is delivered.
/// </summary>
internal sealed class EtcdSourceHolds(ISourceHolds local, EtcdGateway etcd, EtcdKeys keys, EtcdSession session, TimeProvider time) : ISourceHolds
{
    public async ValueTask<IReadOnlyList<SourceHold>> AllAsync(CancellationToken cancellationToken)
    {
        var prefix = keys.HoldsPrefix;
        var range = new RangeRequest { Key = EtcdKeys.Bytes(prefix), RangeEnd = EtcdKeys.RangeEnd(prefix), Limit = 10_000 };
        try
        {
            var answer = await etcd.CallAsync("reading the holds", (headers, deadline, ct) => etcd.Client.GetAsync(range, headers, deadline, ct), cancellationToken).ConfigureAwait(false);
            return [.. answer.Kvs.Select(kv => Read(kv.Value)).OfType<SourceHold>().OrderBy(hold => hold.Source, StringComparer.Ordinal)];
        }
        catch (ClusterUnavailableException)
        {
            return await local.AllAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask<SourceHold?> GetAsync(string sourceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sourceId);
        if (!session.HasLease)
        {
            // No shared delivery runs without the lease (its lock needs it): this is an agent starting
            // (/update_hermes), served from this member's own snapshot and its own copy of the holds.
            return await local.GetAsync(sourceId, cancellationToken).ConfigureAwait(false);
        }

        var range = new RangeRequest { Key = EtcdKeys.Bytes(keys.Hold(sourceId)) };
        var answer = await CallAsync("reading the hold of " + sourceId, (headers, deadline, ct) => etcd.Client.GetAsync(range, headers, deadline, ct), cancellationToken).ConfigureAwait(false);
        return answer.Kvs.Count == 0 ? null : Read(answer.Kvs[0].Value) ?? throw new HoldStateException($"the cluster's hold of {sourceId} cannot be read; nothing is delivered until it is released.");
    }

    public async ValueTask<HoldChange> HoldAsync(string sourceId, string? reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourceId);
        var known = await GetAsync(sourceId, cancellationToken).ConfigureAwait(false);
        var hold = known is null ? new SourceHold(sourceId, reason, time.GetUtcNow()) : known with { Reason = reason };
        var put = new PutRequest { Key = EtcdKeys.Bytes(keys.Hold(sourceId)), Value = ByteString.CopyFrom(JsonSerializer.SerializeToUtf8Bytes(hold, UpdateReportJson.Options)) };
        await CallAsync("holding " + sourceId, (headers, deadline, ct) => etcd.Client.PutAsync(put, headers, deadline, ct), cancellationToken).ConfigureAwait(false);
        await local.HoldAsync(sourceId, reason, cancellationToken).ConfigureAwait(false);
        return new HoldChange(hold, known is not null);
    }

    public async ValueTask<SourceHold?> ReleaseAsync(string sourceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sourceId);
        var delete = new DeleteRangeRequest { Key = EtcdKeys.Bytes(keys.Hold(sourceId)), PrevKv = true };
        var answer = await CallAsync("releasing " + sourceId, (headers, deadline, ct) => etcd.Client.DeleteAsync(delete, headers, deadline, ct), cancellationToken).ConfigureAwait(false);
        await local.ReleaseAsync(sourceId, cancellationToken).ConfigureAwait(false);
        return answer.PrevKvs.Count == 0 ? null : Read(answer.PrevKvs[0].Value);
    }

    private async Task<T> CallAsync<T>(string what, Func<Grpc.Core.Metadata?, DateTime, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await etcd.CallAsync(what, call, cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterUnavailableException e)
        {
            throw new HoldStateException($"the cluster's holds cannot be used: {e.Message}", e);
        }
    }

    private static SourceHold? Read(ByteString value)
    {
        try
        {
            return JsonSerializer.Deserialize<SourceHold>(value.Span, UpdateReportJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
