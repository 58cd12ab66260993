using Courier;
using Courier.Core;
using Courier.Core.Cluster;
using Courier.Core.Configuration;
using Courier.Core.Processes;
using Courier.Core.Diagnostics;
using Courier.Core.History;
using Courier.Core.Rollouts;
using Courier.Core.Ssh;
using Courier.Core.Updates;
using Courier.Core.Transfer;
using Courier.Core.Validation;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Courier engine to a service collection.</summary>
public static class CourierServiceCollectionExtensions
{
    /// <summary>
    /// Adds the Courier engine (configuration, plugin catalog, updates, rsync transfer, SSH tunnels) and returns
    /// the builder that plugins register into: <c>services.AddCourier().AddGitSource().AddArmadaLocalDestination()</c>.
    /// </summary>
    public static ICourierBuilder AddCourier(this IServiceCollection services, Action<CourierOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var optionsBuilder = services.AddOptions<CourierOptions>();
        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CourierOptions>, CourierOptionsValidator>());
        services.AddLogging();
        services.AddHttpClient();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ICourierEnvironment, CourierEnvironment>();
        services.TryAddSingleton<ISshCommandBuilder, SshCommandBuilder>();
        services.TryAddSingleton<ISshTunnelFactory, SshTunnelFactory>();
        services.TryAddSingleton<ProcessRunner>();
        services.TryAddSingleton<SnapshotValidator>();
        services.TryAddSingleton<TargetHealth>();
        services.TryAddSingleton<KeptSnapshots>();
        services.TryAddSingleton<RolloutRunner>();
        services.TryAddSingleton<SshConnectionPool>();
        services.TryAddSingleton<TransferBudget>();
        services.TryAddSingleton<IFileTransfer, RsyncTransfer>();
        services.TryAddSingleton<HermesSearchPath>();
        services.TryAddSingleton(provider => new PluginCatalog(
            provider.GetServices<ISourceFactory>(),
            provider.GetServices<IDestinationFactory>()));
        services.TryAddSingleton<HermesConfigurationLoader>();
        // The single node by default; an engine package (AddEtcdCluster) replaces all four.
        services.TryAddSingleton<SingleNodeCluster>();
        services.TryAddSingleton<IClusterMembership>(provider => provider.GetRequiredService<SingleNodeCluster>());
        services.TryAddSingleton<ISourceLocks>(provider => provider.GetRequiredService<SingleNodeCluster>());
        services.TryAddSingleton<IPendingTriggers>(provider => provider.GetRequiredService<SingleNodeCluster>());
        services.TryAddSingleton<ITargetShares>(provider => provider.GetRequiredService<SingleNodeCluster>());
        services.TryAddSingleton<TargetSharing>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ShareRunner>());
        services.TryAddSingleton<ClusterSourceGate>();
        services.TryAddSingleton<SourceUpdateCoordinator>();
        services.TryAddSingleton<FileReportStore>();
        services.TryAddSingleton<IReportStore>(provider => provider.GetRequiredService<FileReportStore>());
        services.TryAddSingleton<HoldStore>();
        services.TryAddSingleton<ISourceHolds>(provider => provider.GetRequiredService<HoldStore>());
        services.AddMetrics();
        services.TryAddSingleton<CourierMeter>();
        services.TryAddSingleton<CourierMetrics>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IUpdateReportSink, FileReportStore>(provider => provider.GetRequiredService<FileReportStore>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IUpdateReportSink, CourierMetrics>(provider => provider.GetRequiredService<CourierMetrics>()));
        services.TryAddSingleton<CourierUpdater>();
        services.TryAddSingleton<ICourierUpdater>(provider => provider.GetRequiredService<CourierUpdater>());
        return new CourierBuilder(services);
    }

    private sealed class CourierBuilder(IServiceCollection services) : ICourierBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
