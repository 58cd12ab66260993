using Microsoft.Extensions.Logging;

namespace Courier.Core.History;

/// <summary>Hands a finished report to every sink; a failing sink is logged and never fails the update.</summary>
internal static partial class ReportSinks
{
    public static async Task PublishAsync(IEnumerable<IUpdateReportSink> sinks, UpdateReport report, ILogger logger)
    {
        foreach (var sink in sinks)
        {
            try
            {
                // The update is over: its report is kept even when the caller has gone.
                await sink.OnReportAsync(report, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                LogSinkFailed(logger, sink.GetType().Name, report.Id, e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Report {UpdateId} could not be kept by {Sink}: {Error}")]
    private static partial void LogSinkFailed(ILogger logger, string sink, string updateId, string error);
}
