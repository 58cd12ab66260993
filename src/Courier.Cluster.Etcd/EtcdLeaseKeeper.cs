using Courier.Core.Cluster;
using Etcdserverpb;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Courier.Cluster.Etcd;

/// <summary>
/// Keeps this member's lease alive: renews it every third of its TTL, each renewal a keep-alive stream of its own with
/// the call deadline; when etcd does not answer, retries with a growing backoff, and once the lease has gone a TTL
/// without renewal (or etcd says it is gone) ends it here and grants a new one as soon as etcd answers again.
/// On a clean stop it revokes the lease, so the member and its locks go at once instead of after the TTL.
/// </summary>
internal sealed partial class EtcdLeaseKeeper(
    EtcdSession session,
    EtcdGateway etcd,
    IOptions<EtcdClusterOptions> options,
    TimeProvider time,
    ILogger<EtcdLeaseKeeper> logger) : BackgroundService
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(200);
    private readonly CancellationTokenSource _abandoned = new();

    /// <summary>Stops renewing without revoking, as a member that died would (for tests: its lease runs out in etcd).</summary>
    internal void Abandon() => _abandoned.Cancel();

    /// <summary>
    /// Grants the first lease before the host goes on starting (within one call's deadline), so the start-up update
    /// already runs under it; when etcd does not answer, the host starts without it and the renewal loop keeps trying.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await session.GrantAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterUnavailableException e)
        {
            session.NoteProblem(e.Message);
            LogStartedWithoutLease(session.MemberName, e.Message);
        }

        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, _abandoned.Token);
        var ttl = options.Value.LeaseTtl;
        var backoff = FirstBackoff;
        var lease = session.Current;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (lease is not null && session.Current is null)
                {
                    session.Lose(lease, $"not renewed within its TTL of {ttl.TotalSeconds:0} s.");
                    lease = null;
                }

                if (lease is null)
                {
                    lease = await session.GrantAsync(stopping.Token).ConfigureAwait(false);
                }
                else if (!await RenewAsync(lease, stopping.Token).ConfigureAwait(false))
                {
                    session.Lose(lease, "etcd no longer knows the lease (it expired or was revoked).");
                    lease = null;
                    continue;
                }

                backoff = FirstBackoff;
                await Task.Delay(ttl / 3, time, stopping.Token).ConfigureAwait(false);
            }
            catch (ClusterUnavailableException e)
            {
                session.NoteProblem(e.Message);
                LogRetrying(session.MemberName, (long)backoff.TotalMilliseconds, e.Message);
                try
                {
                    await Task.Delay(backoff + TimeSpan.FromMilliseconds(Random.Shared.Next(100)), time, stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, Math.Min(TimeSpan.FromSeconds(5).Ticks, (ttl / 3).Ticks)));
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (_abandoned.IsCancellationRequested)
        {
            return;
        }

        try
        {
            await session.RevokeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterUnavailableException e)
        {
            LogRevokeFailed(session.MemberName, e.Message);
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        _abandoned.Dispose();
    }

    /// <summary>One keep-alive; false when etcd answers that the lease is gone.</summary>
    private async Task<bool> RenewAsync(EtcdSession.Lease lease, CancellationToken cancellationToken)
    {
        var sentAt = time.GetUtcNow();
        var remaining = await etcd.CallAsync(
            "a lease keep-alive",
            async (headers, deadline, ct) =>
            {
                using var call = etcd.Client.GetConnection().LeaseClient.LeaseKeepAlive(headers, deadline, ct);
                await call.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = lease.Id }, ct).ConfigureAwait(false);
                await call.RequestStream.CompleteAsync().ConfigureAwait(false);
                return await call.ResponseStream.MoveNext(ct).ConfigureAwait(false) ? call.ResponseStream.Current.TTL : 0;
            },
            cancellationToken).ConfigureAwait(false);
        if (remaining <= 0)
        {
            return false;
        }

        session.Renewed(lease, sentAt);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster member {Member}: etcd did not answer, retrying in {BackoffMs} ms: {Problem}")]
    private partial void LogRetrying(string member, long backoffMs, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster member {Member} starts without an etcd lease (not ready, delivering no shared source until it has one): {Problem}")]
    private partial void LogStartedWithoutLease(string member, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster member {Member}: the lease could not be revoked on stop (it ends after its TTL): {Problem}")]
    private partial void LogRevokeFailed(string member, string problem);
}
