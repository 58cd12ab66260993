using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Courier.Core.Transfer;

/// <summary>How a push ends up in a <see cref="TransferResult"/> and in the log.</summary>
internal sealed partial class RsyncTransfer
{
    /// <summary>A delivery the target refused: a newer run of the source changed it (<see cref="TargetFence"/>).</summary>
    private TransferResult Fenced(string source, string target, string refusal, Stopwatch started)
    {
        var error = $"fenced: {refusal}";
        LogFenced(source, target, error);
        return new TransferResult(target, false, TargetFence.ExitCode, error, 0, started.Elapsed) { Fenced = true };
    }

    private TransferResult Failed(string source, string target, string error, Stopwatch started, int exitCode = -1)
    {
        LogTransferFailed(source, target, exitCode, (long)started.Elapsed.TotalMilliseconds, error);
        return new TransferResult(target, false, exitCode, error, 0, started.Elapsed);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pushed {Source} to {Target}: exit code {ExitCode} in {ElapsedMs} ms, {BytesSent} bytes sent")]
    private partial void LogTransferred(string source, string target, int exitCode, long elapsedMs, long bytesSent);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Push of {Source} to {Target} refused by the target: {Error}")]
    private partial void LogFenced(string source, string target, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dry run of {Source} to {Target}: {Created} files to create, {Updated} to update, {Deleted} to delete, in {ElapsedMs} ms")]
    private partial void LogDryRun(string source, string target, int created, int updated, int deleted, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Push of {Source} to {Target} failed: exit code {ExitCode} after {ElapsedMs} ms: {Error}")]
    private partial void LogTransferFailed(string source, string target, int exitCode, long elapsedMs, string error);

    // With --itemize-changes, the standard output lists every file changed at the target ("<f.st...... app.conf": sent, size and time changed).
    [LoggerMessage(Level = LogLevel.Debug, Message = "rsync to {Target} said: {StandardOutput} {StandardError}")]
    private partial void LogRsyncOutput(string target, string standardOutput, string standardError);
}
