namespace Courier.Core.History;

/// <summary>Receives every report the updater makes, once, when its update has finished (history, metrics).</summary>
public interface IUpdateReportSink
{
    /// <summary>Takes one finished update's report; an exception is logged and never fails the update.</summary>
    ValueTask OnReportAsync(UpdateReport report, CancellationToken cancellationToken);
}
