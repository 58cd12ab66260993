using System.Text.Json;
using Courier.Core.History;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Courier.Core.Rollouts;

/// <summary>
/// The held sources, kept in <c>StateDirectory/holds.json</c> so that a restart does not forget a hold. Every change
/// is written to a temporary file and renamed into place (a crash leaves the old holds or the new ones, never half of
/// them). The file is read once, then kept in memory: change holds through the API, not by editing the file.
/// </summary>
internal sealed partial class HoldStore(IOptions<CourierOptions> options, TimeProvider time, ILogger<HoldStore> logger) : ISourceHolds, IDisposable
{
    /// <summary>The file's name in the state directory.</summary>
    public const string FileName = "holds.json";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private SortedDictionary<string, SourceHold>? _holds;

    /// <summary>Where the holds are kept.</summary>
    public string FilePath => Path.Combine(options.Value.StateDirectory, FileName);

    /// <summary>Every hold, by source id.</summary>
    /// <exception cref="HoldStateException">The file exists and cannot be read.</exception>
    public async ValueTask<IReadOnlyList<SourceHold>> AllAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return [.. LoadLocked().Values];
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The hold of <paramref name="sourceId"/>, or null when it is not held.</summary>
    /// <exception cref="HoldStateException">The file exists and cannot be read.</exception>
    public async ValueTask<SourceHold?> GetAsync(string sourceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sourceId);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return LoadLocked().GetValueOrDefault(sourceId);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Holds <paramref name="sourceId"/> from now, or changes the reason of its hold (keeping since when it is held);
    /// the hold, and whether the source was held already.
    /// </summary>
    /// <exception cref="HoldStateException">The file exists and cannot be read.</exception>
    public async ValueTask<HoldChange> HoldAsync(string sourceId, string? reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourceId);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var holds = LoadLocked();
            var wasHeld = holds.TryGetValue(sourceId, out var known);
            var hold = known is null ? new SourceHold(sourceId, reason, time.GetUtcNow()) : known with { Reason = reason };
            var changed = new SortedDictionary<string, SourceHold>(holds, StringComparer.Ordinal) { [sourceId] = hold };
            await WriteAtomicallyAsync(changed).ConfigureAwait(false);
            _holds = changed;
            return new HoldChange(hold, wasHeld);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Releases <paramref name="sourceId"/>; its hold, or null when it was not held.</summary>
    /// <exception cref="HoldStateException">The file exists and cannot be read.</exception>
    public async ValueTask<SourceHold?> ReleaseAsync(string sourceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sourceId);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var holds = LoadLocked();
            if (!holds.TryGetValue(sourceId, out var hold))
            {
                return null;
            }

            var changed = new SortedDictionary<string, SourceHold>(holds, StringComparer.Ordinal);
            changed.Remove(sourceId);
            await WriteAtomicallyAsync(changed).ConfigureAwait(false);
            _holds = changed;
            return hold;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private SortedDictionary<string, SourceHold> LoadLocked()
    {
        if (_holds is not null)
        {
            return _holds;
        }

        var holds = new SortedDictionary<string, SourceHold>(StringComparer.Ordinal);
        var path = FilePath;
        if (File.Exists(path))
        {
            HoldsFile? file;
            try
            {
                using var stream = File.OpenRead(path);
                file = JsonSerializer.Deserialize<HoldsFile>(stream, UpdateReportJson.Options);
            }
            catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
            {
                // Never "no holds": a source held before the restart would be delivered.
                LogUnreadable(path, e.Message);
                throw new HoldStateException($"the holds in {path} cannot be read ({e.Message}); nothing is delivered until the file is fixed or removed.", e);
            }

            foreach (var hold in file?.Holds ?? [])
            {
                if (hold is { Source.Length: > 0 })
                {
                    holds[hold.Source] = hold;
                }
            }
        }

        _holds = holds;
        return holds;
    }

    /// <summary>Written whatever the caller does meanwhile: once the gate is passed, a hold asked for is a hold kept.</summary>
    private async Task WriteAtomicallyAsync(SortedDictionary<string, SourceHold> holds)
    {
        var path = FilePath;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await JsonSerializer.SerializeAsync(stream, new HoldsFile([.. holds.Values]), UpdateReportJson.Options).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The holds file {Path} cannot be read, so no source is delivered: {Error}")]
    private partial void LogUnreadable(string path, string error);

    /// <summary>The file's shape: an object, so it can grow.</summary>
    private sealed record HoldsFile(IReadOnlyList<SourceHold> Holds);
}
