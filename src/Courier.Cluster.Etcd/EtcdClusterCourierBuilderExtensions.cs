using Courier;
using Courier.Cluster.Etcd;
using Courier.Core;
using Courier.Core.Cluster;
using Courier.Core.History;
using Courier.Core.Rollouts;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Turns a Courier into a member of a cluster of Couriers coordinated by etcd.</summary>
public static class EtcdClusterCourierBuilderExtensions
{
    /// <summary>
    /// Replaces the single node's coordination with etcd's: membership under a lease kept alive by a hosted service,
    /// per-source locks with fencing tokens, the targets of a source split across the members, pending triggers and the records of runs kept in etcd, the report history
    /// and the holds shared through etcd. The options (section
    /// <c>Courier:Cluster</c>, bound by the host) are validated when the host starts.
    /// </summary>
    public static ICourierBuilder AddEtcdCluster(this ICourierBuilder builder, Action<EtcdClusterOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<EtcdClusterOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.PostConfigure<IOptions<CourierOptions>>((cluster, courier) => cluster.SshAddress ??= courier.Value.SshAddress).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EtcdClusterOptions>, EtcdClusterOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<EtcdGateway>();
        services.TryAddSingleton(provider => new EtcdKeys(provider.GetRequiredService<IOptions<EtcdClusterOptions>>().Value.Name));
        services.TryAddSingleton<EtcdSession>();
        services.TryAddSingleton<EtcdSourceLocks>();
        services.TryAddSingleton<EtcdPendingTriggers>();
        services.TryAddSingleton<EtcdTargetShares>();
        services.TryAddSingleton<EtcdLeaseKeeper>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, EtcdLeaseKeeper>(provider => provider.GetRequiredService<EtcdLeaseKeeper>()));
        services.Replace(ServiceDescriptor.Singleton<IClusterMembership>(provider => provider.GetRequiredService<EtcdSession>()));
        services.Replace(ServiceDescriptor.Singleton<ISourceLocks>(provider => provider.GetRequiredService<EtcdSourceLocks>()));
        services.Replace(ServiceDescriptor.Singleton<IPendingTriggers>(provider => provider.GetRequiredService<EtcdPendingTriggers>()));
        services.Replace(ServiceDescriptor.Singleton<ITargetShares>(provider => provider.GetRequiredService<EtcdTargetShares>()));
        if (!services.Any(descriptor => descriptor.ServiceType == typeof(EtcdReportStore)))
        {
            // The shared history wraps the member's own, which it answers from while etcd cannot be used.
            services.Decorate<IReportStore, EtcdReportStore>();
            services.AddSingleton(provider => (EtcdReportStore)provider.GetRequiredService<IReportStore>());
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IUpdateReportSink, EtcdReportStore>(provider => provider.GetRequiredService<EtcdReportStore>()));
            services.Decorate<ISourceHolds, EtcdSourceHolds>();
        }

        return builder;
    }
}
