using Courier.Testing.Approval;

namespace Courier.Cluster.Etcd.Tests;

/// <summary>
/// Courier.Cluster.Etcd's public API is its options and its one entry point, AddEtcdCluster: any change shows up here,
/// to be approved on purpose (copy PublicApi.received.txt over PublicApi.approved.txt).
/// </summary>
public sealed class PublicApiTests
{
    [Fact]
    public void The_public_api_is_the_approved_one() =>
        PublicApiApproval.AssertApproved(typeof(EtcdClusterOptions).Assembly, "Microsoft.Extensions.DependencyInjection");
}
