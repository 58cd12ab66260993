using Courier.Core.Cluster;

namespace Courier.Host.Cluster;

/// <summary>Delivers the shares of targets other members hand this one, while the host runs (none arrive on a single node).</summary>
internal sealed class ShareService(ShareRunner runner, IClusterMembership membership) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        membership.IsClustered ? runner.RunAsync(stoppingToken) : Task.CompletedTask;
}
