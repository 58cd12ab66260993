namespace Courier.Cluster.Etcd;

/// <summary>
/// The cluster settings, section <c>Courier:Cluster</c>: the names are a contract (<c>Courier__Cluster__Etcd__Endpoints__0</c>,
/// <c>--Courier:Cluster:LeaseTtl=00:00:10</c>, ...).
/// </summary>
public sealed class EtcdClusterOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Courier:Cluster";

    /// <summary>The cluster's name and key prefix in etcd (<c>/NAME/...</c>), so several clusters can share one etcd. Default <c>courier</c>.</summary>
    public string Name { get; set; } = "courier";

    /// <summary>This member's name, unique in the cluster. Default: the host name plus the listen port (set by the host), else the host name.</summary>
    public string? MemberName { get; set; }

    /// <summary>How long this member's lease lives without a keep-alive (whole seconds, at least 2). Default 10 s.</summary>
    public TimeSpan LeaseTtl { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>This member's HTTP API address as other members and operators reach it (shown on <c>/status</c>).</summary>
    public string? ApiAddress { get; set; }

    /// <summary>This member's SSH address (<c>HOST:PORT</c>); default <c>Courier:SshAddress</c>.</summary>
    public string? SshAddress { get; set; }

    /// <summary>How to reach etcd (<c>Courier:Cluster:Etcd</c>).</summary>
    public EtcdConnectionOptions Etcd { get; set; } = new();

    /// <summary>How a source's targets are split across the members (<c>Courier:Cluster:FanOut</c>).</summary>
    public ClusterFanOutOptions FanOut { get; set; } = new();
}

/// <summary>How a source's targets are split across the members, section <c>Courier:Cluster:FanOut</c>.</summary>
public sealed class ClusterFanOutOptions
{
    /// <summary>
    /// The fewest targets of one delivery (a rollout wave, or a source without a rollout) that are split across the
    /// live members; fewer are delivered by the member running the source alone, since each other member's share costs
    /// it a pull. Default 8.
    /// </summary>
    public int MinTargets { get; set; } = 8;

    /// <summary>How often a member looks for the shares handed to it, and the member running the source for their answers. Default 250 ms.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);
}

/// <summary>How to reach etcd, section <c>Courier:Cluster:Etcd</c>. The password and the key are never logged.</summary>
public sealed class EtcdConnectionOptions
{
    /// <summary>The etcd client URLs (<c>http://10.0.0.1:2379</c>, or <c>https://</c> with TLS); setting them turns the cluster on.</summary>
    public IList<string> Endpoints { get; } = [];

    /// <summary>The deadline of every call to etcd. Default 5 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The etcd user, when etcd has authentication on.</summary>
    public string? Username { get; set; }

    /// <summary>The etcd user's password. Never logged.</summary>
    public string? Password { get; set; }

    /// <summary>A PEM file of the CA that signed etcd's server certificates (default: the system's trust store).</summary>
    public string? CaCertificate { get; set; }

    /// <summary>A PEM file of this member's client certificate, for etcd's client certificate authentication.</summary>
    public string? ClientCertificate { get; set; }

    /// <summary>The PEM file of the client certificate's private key. Never logged.</summary>
    public string? ClientKey { get; set; }
}
