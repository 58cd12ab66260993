using System.Text.Json;
using Courier.Core;
using Courier.Core.Cluster;
using Courier.Core.History;
using Etcdserverpb;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Courier.Cluster.Etcd;

/// <summary>
/// The report history shared by the members: every report is put under <c>/NAME/reports/ID</c> too (bounded like the
/// local history, by <c>Courier:Reports:MaxCount</c> and <c>MaxAge</c>), and reads come from there, so <c>/reports</c>
/// and <c>/status</c> answer the same on every member. The reports read are cached and refreshed at most every
/// <see cref="Refresh"/> (only the new ones are fetched). Without its lease, or when etcd does not answer, a member
/// answers from its own history (the store it decorates), which also keeps a copy of each report it made.
/// </summary>
internal sealed partial class EtcdReportStore(
    IReportStore local,
    EtcdGateway etcd,
    EtcdKeys keys,
    EtcdSession session,
    IOptions<CourierOptions> options,
    TimeProvider time,
    ILogger<EtcdReportStore> logger) : IReportStore, IUpdateReportSink, IDisposable
{
    /// <summary>A report larger than this stays in its member's own history only (etcd values are meant to be small).</summary>
    public const int MaxReportBytes = 512 * 1024;

    /// <summary>How stale the shared history read may be.</summary>
    public static TimeSpan Refresh { get; } = TimeSpan.FromSeconds(1);

    // Values per read: at most 6 × 512 KiB, under gRPC's 4 MiB message limit.
    private const int PageSize = 6;
    private static readonly JsonSerializerOptions Compact = new(UpdateReportJson.Options) { WriteIndented = false };
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SortedDictionary<string, UpdateReport> _cache = new(StringComparer.Ordinal);
    private DateTimeOffset _refreshedAt = DateTimeOffset.MinValue;

    public async ValueTask OnReportAsync(UpdateReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(report, Compact);
        if (bytes.Length > MaxReportBytes)
        {
            LogTooLarge(report.Id, bytes.Length);
            return;
        }

        var put = new PutRequest { Key = EtcdKeys.Bytes(keys.Report(report.Id)), Value = ByteString.CopyFrom(bytes) };
        await etcd.CallAsync("a report", (headers, deadline, ct) => etcd.Client.PutAsync(put, headers, deadline, ct), cancellationToken).ConfigureAwait(false);
        await PruneAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<UpdateReport?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var all = await AllAsync(cancellationToken).ConfigureAwait(false);
        return all.FirstOrDefault(r => r.Id == id) ?? await local.GetAsync(id, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<ReportPage> ListAsync(ReportQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return query.Select(await AllAsync(cancellationToken).ConfigureAwait(false));
    }

    public async ValueTask<IReadOnlyList<UpdateReport>> AllAsync(CancellationToken cancellationToken)
    {
        if (!session.HasLease)
        {
            return await local.AllAsync(cancellationToken).ConfigureAwait(false);
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (time.GetUtcNow() - _refreshedAt >= Refresh)
            {
                await RefreshLockedAsync(cancellationToken).ConfigureAwait(false);
                _refreshedAt = time.GetUtcNow();
            }

            return [.. _cache.Values];
        }
        catch (ClusterUnavailableException e)
        {
            LogUnavailable(e.Message);
            return await local.AllAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task RefreshLockedAsync(CancellationToken cancellationToken)
    {
        var ids = await IdsAsync(cancellationToken).ConfigureAwait(false);
        foreach (var gone in _cache.Keys.Except(ids, StringComparer.Ordinal).ToList())
        {
            _cache.Remove(gone);
        }

        var missing = ids.Where(id => !_cache.ContainsKey(id)).ToList();
        for (var start = 0; start < missing.Count; start += PageSize)
        {
            // The missing ids are in key order: one range from the first of a page to just after its last.
            var page = missing.GetRange(start, Math.Min(PageSize, missing.Count - start));
            var range = new RangeRequest { Key = EtcdKeys.Bytes(keys.Report(page[0])), RangeEnd = EtcdKeys.Bytes(keys.Report(page[^1]) + "\0"), Limit = PageSize * 4 };
            var answer = await etcd.CallAsync("reading reports", (headers, deadline, ct) => etcd.Client.GetAsync(range, headers, deadline, ct), cancellationToken).ConfigureAwait(false);
            foreach (var kv in answer.Kvs)
            {
                var id = kv.Key.ToStringUtf8()[keys.ReportsPrefix.Length..];
                if (Read(id, kv.Value) is { } report)
                {
                    _cache[id] = report;
                }
            }
        }
    }

    /// <summary>The ids of the shared reports, oldest first.</summary>
    private async Task<List<string>> IdsAsync(CancellationToken cancellationToken)
    {
        var prefix = keys.ReportsPrefix;
        var range = new RangeRequest { Key = EtcdKeys.Bytes(prefix), RangeEnd = EtcdKeys.RangeEnd(prefix), KeysOnly = true, Limit = options.Value.Reports.MaxCount * 2L };
        var answer = await etcd.CallAsync("listing reports", (headers, deadline, ct) => etcd.Client.GetAsync(range, headers, deadline, ct), cancellationToken).ConfigureAwait(false);
        return [.. answer.Kvs.Select(kv => kv.Key.ToStringUtf8()[prefix.Length..]).Order(StringComparer.Ordinal)];
    }

    private async Task PruneAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value.Reports;
        var ids = await IdsAsync(cancellationToken).ConfigureAwait(false);
        var oldest = time.GetUtcNow() - settings.MaxAge;
        var excess = ids.Count - settings.MaxCount;
        foreach (var (id, index) in ids.Select((id, index) => (id, index)).TakeWhile(pair => pair.index < excess || (UpdateIds.StartedAt(pair.id) ?? DateTimeOffset.UnixEpoch) < oldest))
        {
            var delete = new DeleteRangeRequest { Key = EtcdKeys.Bytes(keys.Report(id)) };
            await etcd.CallAsync("pruning reports", (headers, deadline, ct) => etcd.Client.DeleteAsync(delete, headers, deadline, ct), cancellationToken).ConfigureAwait(false);
            LogPruned(id, index);
        }
    }

    private UpdateReport? Read(string id, ByteString value)
    {
        try
        {
            return JsonSerializer.Deserialize<UpdateReport>(value.Span, Compact) is { } report ? report with { Id = id } : null;
        }
        catch (JsonException e)
        {
            LogUnreadable(id, e.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Report {UpdateId} is {Bytes} bytes, over the shared history's limit: kept in this member's own history only")]
    private partial void LogTooLarge(string updateId, int bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The shared report history could not be read ({Reason}): answering from this member's own")]
    private partial void LogUnavailable(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shared report {UpdateId} skipped: {Error}")]
    private partial void LogUnreadable(string updateId, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Shared report {UpdateId} pruned ({Index} older kept before it)")]
    private partial void LogPruned(string updateId, int index);
}
