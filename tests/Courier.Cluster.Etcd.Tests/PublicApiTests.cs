using System.Reflection;
using PublicApiGenerator;

namespace Courier.Cluster.Etcd.Tests;

/// <summary>
/// Courier.Cluster.Etcd's public API is its options and its one entry point, AddEtcdCluster: any change shows up here,
/// to be approved on purpose (copy PublicApi.received.txt over PublicApi.approved.txt).
/// </summary>
public sealed class PublicApiTests
{
    [Fact]
    public void The_public_api_is_the_approved_one()
    {
        var actual = typeof(EtcdClusterOptions).Assembly.GeneratePublicApi(new ApiGeneratorOptions
        {
            ExcludeAttributes = ["System.Runtime.Versioning.TargetFrameworkAttribute", "System.Reflection.AssemblyMetadataAttribute"],
            AllowNamespacePrefixes = ["Microsoft.Extensions.DependencyInjection"],
        }).ReplaceLineEndings("\n");
        var directory = typeof(PublicApiTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ProjectDirectory").Value!;
        var approved = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "PublicApi.approved.txt")).ReplaceLineEndings("\n");
        if (approved != actual)
        {
            File.WriteAllText(Path.Combine(directory, "PublicApi.received.txt"), actual);
        }

        Assert.Equal(approved, actual);
    }
}
