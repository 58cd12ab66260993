using Courier.Testing;

namespace Courier.Cluster.Etcd.Tests;

/// <summary>One etcd cluster for the tests that never stop its members (each test uses its own cluster name, so its own keys).</summary>
[CollectionDefinition(Name)]
public sealed class SharedEtcd : ICollectionFixture<EtcdCluster>
{
    public const string Name = "shared etcd";
}
