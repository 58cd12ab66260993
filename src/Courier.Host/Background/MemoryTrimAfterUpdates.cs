using Courier.Core.History;

namespace Courier.Host.Background;

/// <summary>
/// Gives a delivery burst's memory back when an update ends: one blocking, compacting collection that also
/// decommits what the heap no longer needs. The host idles between bursts; without this the GC keeps the last
/// burst's high-water mark as the next one's starting point (measured at 200 targets: the peak grew from one
/// update to the next). A collection of this heap (tens of MiB) takes milliseconds, once per update. In the host
/// only: a library does not decide its embedder's collections.
/// </summary>
internal sealed class MemoryTrimAfterUpdates : IUpdateReportSink
{
    public ValueTask OnReportAsync(UpdateReport report, CancellationToken cancellationToken)
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return ValueTask.CompletedTask;
    }
}
