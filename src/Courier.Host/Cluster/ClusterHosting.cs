using Courier.Cluster.Etcd;
using Courier.Core.Cluster;
using Courier.Host.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Courier.Host.Cluster;

/// <summary>
/// Turns the host into a member of a cluster of Couriers when <c>Courier:Cluster:Etcd:Endpoints</c> is set; without it
/// the host is the single node it always was (no cluster on <c>/status</c>, no cluster readiness check).
/// </summary>
internal static class ClusterHosting
{
    private const string EndpointsKey = EtcdClusterOptions.SectionName + ":Etcd:Endpoints";

    public static void AddCourierCluster(this WebApplicationBuilder builder, ICourierBuilder courier)
    {
        var configuration = builder.Configuration;
        var endpoints = configuration.GetSection(EndpointsKey);
        if (string.IsNullOrWhiteSpace(endpoints.Value) && !endpoints.GetChildren().Any())
        {
            return;
        }

        builder.Services.AddOptions<EtcdClusterOptions>()
            .Bind(configuration.GetSection(EtcdClusterOptions.SectionName))
            .PostConfigure(options =>
            {
                // One variable for a list: Courier__Cluster__Etcd__Endpoints=http://a:2379,http://b:2379.
                if (endpoints.Value is { } list && options.Etcd.Endpoints.Count == 0)
                {
                    foreach (var endpoint in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        options.Etcd.Endpoints.Add(endpoint);
                    }
                }

                var listen = FirstListenUrl(configuration);
                options.MemberName ??= $"{Environment.MachineName}:{listen.Port}";
                options.ApiAddress ??= listen.ToString().TrimEnd('/');
            });
        courier.AddEtcdCluster();
        builder.Services.AddHealthChecks().AddCheck<ClusterLeaseCheck>("cluster", tags: [ReadinessChecks.Tag]);
    }

    /// <summary>The first of <c>--urls</c> / <c>ASPNETCORE_URLS</c>, with a wildcard host named by this machine; ASP.NET Core's default otherwise.</summary>
    private static Uri FirstListenUrl(IConfiguration configuration)
    {
        var first = (configuration["urls"] ?? "http://localhost:5000").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "http://localhost:5000";
        var named = first.Replace("://*", $"://{Environment.MachineName}", StringComparison.Ordinal)
            .Replace("://+", $"://{Environment.MachineName}", StringComparison.Ordinal)
            .Replace("://0.0.0.0", $"://{Environment.MachineName}", StringComparison.Ordinal)
            .Replace("://[::]", $"://{Environment.MachineName}", StringComparison.Ordinal);
        return Uri.TryCreate(named, UriKind.Absolute, out var uri) ? uri : new Uri("http://localhost:5000");
    }
}

/// <summary>Ready only while this member holds its etcd lease: without it, it starts no delivery of a shared source.</summary>
internal sealed class ClusterLeaseCheck(IClusterMembership membership) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(membership.HasLease
            ? HealthCheckResult.Healthy($"member {membership.MemberName} holds its lease.")
            : HealthCheckResult.Unhealthy($"member {membership.MemberName} has no cluster lease, so it starts no delivery: {membership.LeaseProblem}"));
}
