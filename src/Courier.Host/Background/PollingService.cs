using Courier.Core.Polling;

namespace Courier.Host.Background;

/// <summary>Runs the engine's <see cref="SourcePoller"/> while the host runs (it polls nothing unless a source or <c>Courier:Git:PollInterval</c> asks).</summary>
internal sealed class PollingService(SourcePoller poller) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => poller.RunAsync(stoppingToken);
}
