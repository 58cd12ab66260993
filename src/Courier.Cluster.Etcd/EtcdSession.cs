using System.Text.Json;
using Courier.Core.Cluster;
using Etcdserverpb;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Courier.Cluster.Etcd;

/// <summary>
/// This member's lease with etcd, owned here (never dotnet-etcd's lease-less <c>Lock</c>): granted with
/// <c>Courier:Cluster:LeaseTtl</c>, kept alive by <see cref="EtcdLeaseKeeper"/>, and carrying the member key and every
/// lock key. When the lease is lost, every lock held under it reports <see cref="ISourceLock.Lost"/>, the member is
/// not ready, and a new lease is granted as soon as etcd answers.
/// </summary>
internal sealed partial class EtcdSession(
    EtcdGateway etcd,
    EtcdKeys keys,
    IOptions<EtcdClusterOptions> options,
    TimeProvider time,
    ILogger<EtcdSession> logger) : IClusterMembership
{
    private readonly Lock _lock = new();
    private Lease? _lease;
    private string? _problem = "not connected to etcd yet.";

    public string MemberName { get; } = options.Value.MemberName ?? Environment.MachineName;

    public bool IsClustered => true;

    public bool HasLease => Current is not null;

    public string? LeaseProblem
    {
        get
        {
            lock (_lock)
            {
                return Current is null ? _problem ?? "the lease expired." : null;
            }
        }
    }

    /// <summary>The lease in force, or null: none granted, lost, or not renewed within its TTL.</summary>
    internal Lease? Current
    {
        get
        {
            lock (_lock)
            {
                return _lease is { } lease && time.GetUtcNow() - lease.RenewedAt < options.Value.LeaseTtl && !lease.Ended.IsCancellationRequested ? lease : null;
            }
        }
    }

    /// <summary>The lease that locks are taken under, or an error saying why there is none.</summary>
    internal Lease Require() => Current ?? throw new ClusterUnavailableException($"member {MemberName} has no etcd lease: {LeaseProblem}");

    public async Task<IReadOnlyList<ClusterMember>> MembersAsync(CancellationToken cancellationToken)
    {
        var prefix = keys.MembersPrefix;
        var request = new RangeRequest { Key = EtcdKeys.Bytes(prefix), RangeEnd = EtcdKeys.RangeEnd(prefix) };
        var answer = await etcd.CallAsync("the member list", (headers, deadline, ct) => etcd.Client.GetAsync(request, headers, deadline, ct), cancellationToken).ConfigureAwait(false);
        return [.. answer.Kvs
            .Select(kv => JsonSerializer.Deserialize<MemberRecord>(kv.Value.Span))
            .OfType<MemberRecord>()
            .Select(member => new ClusterMember(member.Name, member.Api, member.Ssh, member.Name != MemberName || HasLease))
            .OrderBy(member => member.Name, StringComparer.Ordinal)];
    }

    /// <summary>Grants a new lease and registers this member under it.</summary>
    internal async Task<Lease> GrantAsync(CancellationToken cancellationToken)
    {
        var ttl = (long)options.Value.LeaseTtl.TotalSeconds;
        // Counted from before the request: etcd's TTL starts when it grants, which is never earlier.
        var asked = time.GetUtcNow();
        var granted = await etcd.CallAsync("a lease grant", (headers, deadline, ct) => etcd.Client.LeaseGrantAsync(new LeaseGrantRequest { TTL = ttl }, headers, deadline, ct), cancellationToken).ConfigureAwait(false);
        var lease = new Lease(granted.ID, asked);
        var record = new MemberRecord(MemberName, options.Value.ApiAddress, options.Value.SshAddress);
        var put = new PutRequest { Key = EtcdKeys.Bytes(keys.Member(MemberName)), Value = Google.Protobuf.ByteString.CopyFrom(JsonSerializer.SerializeToUtf8Bytes(record)), Lease = lease.Id };
        await etcd.CallAsync("the member registration", (headers, deadline, ct) => etcd.Client.PutAsync(put, headers, deadline, ct), cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            _lease = lease;
            _problem = null;
        }

        LogGranted(MemberName, lease.Id, ttl);
        return lease;
    }

    /// <summary>Marks the lease renewed by a keep-alive sent at <paramref name="sentAt"/> (etcd renewed it later, never earlier).</summary>
    internal void Renewed(Lease lease, DateTimeOffset sentAt)
    {
        lock (_lock)
        {
            lease.RenewedAt = sentAt;
        }
    }

    /// <summary>Records why etcd cannot be used now (shown while there is no lease).</summary>
    internal void NoteProblem(string problem)
    {
        lock (_lock)
        {
            _problem = problem;
        }
    }

    /// <summary>Ends the lease here (its locks report lost); etcd ends it too when its TTL runs out.</summary>
    internal void Lose(Lease lease, string problem)
    {
        lock (_lock)
        {
            _problem = problem;
            if (!ReferenceEquals(_lease, lease))
            {
                return;
            }

            _lease = null;
        }

        lease.End();
        LogLost(MemberName, lease.Id, problem);
    }

    /// <summary>Revokes the lease (the member key and its locks go at once), on a clean stop.</summary>
    internal async Task RevokeAsync(CancellationToken cancellationToken)
    {
        Lease? lease;
        lock (_lock)
        {
            (lease, _lease, _problem) = (_lease, null, "stopped.");
        }

        if (lease is null)
        {
            return;
        }

        lease.End();
        await etcd.CallAsync("the lease revocation", (headers, deadline, ct) => etcd.Client.LeaseRevokeAsync(new LeaseRevokeRequest { ID = lease.Id }, headers, deadline, ct), cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster member {Member} registered under etcd lease {LeaseId} (TTL {TtlSeconds} s)")]
    private partial void LogGranted(string member, long leaseId, long ttlSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster member {Member} lost etcd lease {LeaseId}: {Problem}")]
    private partial void LogLost(string member, long leaseId, string problem);

    /// <summary>What a member key holds.</summary>
    private sealed record MemberRecord(string Name, string? Api, string? Ssh);

    /// <summary>One granted lease; <see cref="Ended"/> is cancelled when it is lost or revoked.</summary>
    internal sealed class Lease(long id, DateTimeOffset grantedAt)
    {
        private readonly CancellationTokenSource _ended = new();

        public long Id { get; } = id;

        public DateTimeOffset RenewedAt { get; set; } = grantedAt;

        public CancellationToken Ended => _ended.Token;

        public void End() => _ended.Cancel();
    }
}
