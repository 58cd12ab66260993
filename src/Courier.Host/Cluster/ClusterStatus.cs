using System.Text.Json;
using System.Text.Json.Nodes;
using Courier.Core.Cluster;

namespace Courier.Host.Cluster;

/// <summary>The <c>cluster</c> field of <c>GET /status</c> (JSON), present only when the host is a cluster member.</summary>
/// <param name="Member">This member's name.</param>
/// <param name="Leased">Whether this member holds its lease.</param>
/// <param name="Problem">Why it does not, or why the member list could not be read; null otherwise.</param>
/// <param name="Members">The registered members (just this one, unhealthy, when the engine cannot be reached).</param>
internal sealed record ClusterStatus(string Member, bool Leased, string? Problem, IReadOnlyList<ClusterMemberStatus> Members)
{
    /// <summary>Reads the cluster's state; an engine that does not answer is a problem shown, never an error of <c>/status</c>.</summary>
    public static async Task<ClusterStatus?> ReadAsync(IClusterMembership membership, CancellationToken cancellationToken)
    {
        if (!membership.IsClustered)
        {
            return null;
        }

        try
        {
            var members = await membership.MembersAsync(cancellationToken).ConfigureAwait(false);
            return new ClusterStatus(membership.MemberName, membership.HasLease, membership.LeaseProblem, [.. members.Select(m => new ClusterMemberStatus(m.Name, m.ApiAddress, m.SshAddress, m.Healthy))]);
        }
        catch (ClusterUnavailableException e)
        {
            return new ClusterStatus(membership.MemberName, membership.HasLease, e.Message, [new ClusterMemberStatus(membership.MemberName, null, null, false)]);
        }
    }

    /// <summary>The status object with this cluster field added (the other fields exactly as a single node writes them).</summary>
    public JsonObject AddTo(JsonObject status, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(status);
        status["cluster"] = JsonSerializer.SerializeToNode(this, options);
        return status;
    }
}

/// <summary>One member on <c>/status</c>.</summary>
internal sealed record ClusterMemberStatus(string Name, string? Api, string? Ssh, bool Healthy);
