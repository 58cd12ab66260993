using Courier.Core;
using Courier.Core.Cluster;
using Courier.Core.History;
using Courier.Core.Updates;
using Courier.Host.Cluster;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Courier.Host.Background;

/// <summary>Registers the host's background work: the update queue, polling, the sweep for unfinished cluster runs, the shutdown grace period and the memory trim after updates.</summary>
internal static class BackgroundServiceCollectionExtensions
{
    /// <summary>Time to cancel and reap the running updates after the grace period, before the host gives up on them.</summary>
    private static readonly TimeSpan CancellationAllowance = TimeSpan.FromSeconds(15);

    public static IServiceCollection AddCourierBackground(this IServiceCollection services)
    {
        services.AddSingleton<UpdateQueue>();
        services.AddSingleton<IUpdateQueue>(provider => provider.GetRequiredService<UpdateQueue>());
        services.AddHostedService(provider => provider.GetRequiredService<UpdateQueue>());
        services.AddHostedService<SourcePoller>();
        services.AddHostedService<UnfinishedRunSweeper>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IUpdateReportSink, MemoryTrimAfterUpdates>());
        services.AddOptions<HostOptions>().Configure<IOptions<CourierOptions>>((host, courier) =>
            host.ShutdownTimeout = courier.Value.ShutdownGracePeriod + CancellationAllowance);
        return services;
    }
}
