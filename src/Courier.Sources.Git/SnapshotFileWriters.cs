using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace Courier.Sources.Git;

/// <summary>
/// Writes the files of a whole-tree export on a few threads while the caller reads the blobs on its own (libgit2's
/// objects are read on one thread only). Creating thousands of small files is bound by the file system's system
/// calls, which run side by side: on 2 cores, 2,000 files of 10 kB take about a third less time (measured). At most
/// <see cref="QueueLength"/> files wait, each at most <see cref="QueuedFileLimit"/> bytes; larger ones the caller
/// writes itself. Disposing stops and waits for the writers, so nothing writes into a directory being removed.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class SnapshotFileWriters : IDisposable
{
    /// <summary>The largest file handed to the writers; a larger one is streamed to disk by the caller.</summary>
    public const int QueuedFileLimit = 256 * 1024;

    private const int QueueLength = 64;

    private readonly BlockingCollection<PendingFile> _queue = new(QueueLength);
    private readonly CancellationTokenSource _stop;
    private readonly DateTime _stamp;
    private readonly Thread[] _writers;
    private ExceptionDispatchInfo? _failure;

    public SnapshotFileWriters(DateTime stamp, CancellationToken cancellationToken)
    {
        _stamp = stamp;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _writers = [.. Enumerable.Range(0, Math.Clamp(Environment.ProcessorCount, 2, 4)).Select(_ => new Thread(WriteQueued) { IsBackground = true, Name = "git snapshot writer" })];
        foreach (var writer in _writers)
        {
            writer.Start();
        }
    }

    /// <summary>Queues a file; throws what a writer met (a full disk, say) once one has failed.</summary>
    public void Add(string path, byte[] content, UnixFileMode mode)
    {
        try
        {
            _queue.Add(new PendingFile(path, content, mode), _stop.Token);
        }
        catch (OperationCanceledException)
        {
            _failure?.Throw();
            throw;
        }
    }

    /// <summary>Waits until every queued file is written; throws what a writer met, or the cancellation.</summary>
    public void Complete()
    {
        _queue.CompleteAdding();
        foreach (var writer in _writers)
        {
            writer.Join();
        }

        _failure?.Throw();
        _stop.Token.ThrowIfCancellationRequested();
    }

    /// <summary>Writes one file, created new with <paramref name="mode"/>, and gives it the export's time stamp.</summary>
    public static void Write(string path, Stream content, UnixFileMode mode, DateTime stamp)
    {
        // Unbuffered, so the time is set after the last write; through the handle, so the path is not looked up again.
        using var file = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, BufferSize = 0, UnixCreateMode = mode });
        content.CopyTo(file);
        File.SetLastWriteTimeUtc(file.SafeFileHandle, stamp);
    }

    public void Dispose()
    {
        if (!_queue.IsAddingCompleted)
        {
            _stop.Cancel();
            _queue.CompleteAdding();
        }

        foreach (var writer in _writers)
        {
            writer.Join();
        }

        _stop.Dispose();
        _queue.Dispose();
    }

    private void WriteQueued()
    {
        try
        {
            foreach (var file in _queue.GetConsumingEnumerable(_stop.Token))
            {
                Write(file.Path, new MemoryStream(file.Content, writable: false), file.Mode, _stamp);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped: by the caller, or because another writer failed.
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
            _stop.Cancel();
        }
    }

    private sealed record PendingFile(string Path, byte[] Content, UnixFileMode Mode);
}
