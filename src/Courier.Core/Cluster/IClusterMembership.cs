namespace Courier.Core.Cluster;

/// <summary>
/// The members of the cluster of Couriers this one belongs to. A single node (the default, no coordination engine)
/// is a cluster of itself and always has its lease; an engine package (e.g. Courier.Cluster.Etcd) keeps a lease alive,
/// registers this member under it, and says when the lease is lost.
/// </summary>
public interface IClusterMembership
{
    /// <summary>This member's name (<c>Courier:Cluster:MemberName</c> for an engine).</summary>
    string MemberName { get; }

    /// <summary>Whether an engine coordinates several members; false for the single node, which shows no cluster.</summary>
    bool IsClustered { get; }

    /// <summary>
    /// Whether this member holds a live lease with the engine: while it does not, it starts no delivery of a shared
    /// source and is not ready. Always true for the single node.
    /// </summary>
    bool HasLease { get; }

    /// <summary>Why <see cref="HasLease"/> is false (the engine unreachable, the lease expired); null while it is true.</summary>
    string? LeaseProblem { get; }

    /// <summary>The members registered now, this one included, each with its addresses and health.</summary>
    /// <exception cref="ClusterUnavailableException">The engine did not answer within its deadline.</exception>
    Task<IReadOnlyList<ClusterMember>> MembersAsync(CancellationToken cancellationToken);
}

/// <summary>One member of the cluster.</summary>
/// <param name="Name">Its member name.</param>
/// <param name="ApiAddress">Its HTTP API address, when it registered one.</param>
/// <param name="SshAddress">The <c>HOST:PORT</c> it advertises on <c>GET /hermes_address</c>, when it registered one.</param>
/// <param name="Healthy">Whether its lease is alive (a member whose lease expired is dropped by the engine).</param>
public sealed record ClusterMember(string Name, string? ApiAddress, string? SshAddress, bool Healthy);
