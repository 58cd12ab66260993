using Courier.Core.Cluster;

namespace Courier.Host.Cluster;

/// <summary>Runs the engine's <see cref="UnfinishedRunSweeper"/> while the host runs (it does nothing on a single node).</summary>
internal sealed class UnfinishedRunService(UnfinishedRunSweeper sweeper) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => sweeper.RunAsync(stoppingToken);
}
