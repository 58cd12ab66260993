using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Courier.Core.History;

/// <summary>
/// Keeps reports as one JSON file per update in <c>StateDirectory/reports/</c>, each written to a temporary file
/// and renamed into place (a crash leaves the old set or the new file, never half a report), bounded by
/// <c>Courier:Reports:MaxCount</c> and <c>MaxAge</c>. The kept reports are also held in memory (a few hundred).
/// </summary>
internal sealed partial class FileReportStore(IOptions<CourierOptions> options, TimeProvider time, ILogger<FileReportStore> logger)
    : IReportStore, IUpdateReportSink, IDisposable
{
    private const string Extension = ".json";
    private readonly SemaphoreSlim _gate = new(1, 1);
    private List<UpdateReport>? _reports;

    public string Directory => Path.Combine(options.Value.StateDirectory, "reports");

    public async ValueTask OnReportAsync(UpdateReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (!UpdateIds.IsValid(report.Id))
        {
            throw new ArgumentException($"\"{report.Id}\" is not an update id.", nameof(report));
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var reports = LoadLocked();
            await WriteAtomicallyAsync(report, cancellationToken).ConfigureAwait(false);
            var index = reports.FindIndex(r => string.CompareOrdinal(r.Id, report.Id) > 0);
            reports.Insert(index < 0 ? reports.Count : index, report);
            PruneLocked(reports);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask<UpdateReport?> GetAsync(string id, CancellationToken cancellationToken)
    {
        if (!UpdateIds.IsValid(id))
        {
            return null;
        }

        var reports = await AllAsync(cancellationToken).ConfigureAwait(false);
        return reports.FirstOrDefault(r => r.Id == id);
    }

    public async ValueTask<ReportPage> ListAsync(ReportQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return query.Select(await AllAsync(cancellationToken).ConfigureAwait(false));
    }

    public async ValueTask<IReadOnlyList<UpdateReport>> AllAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return [.. LoadLocked()];
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task WriteAtomicallyAsync(UpdateReport report, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = Path.Combine(Directory, report.Id + Extension);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await JsonSerializer.SerializeAsync(stream, report, UpdateReportJson.Options, cancellationToken).ConfigureAwait(false);
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

    private List<UpdateReport> LoadLocked()
    {
        if (_reports is not null)
        {
            return _reports;
        }

        var reports = new List<UpdateReport>();
        if (System.IO.Directory.Exists(Directory))
        {
            foreach (var path in System.IO.Directory.EnumerateFiles(Directory))
            {
                var name = Path.GetFileName(path);
                if (name.EndsWith(".tmp", StringComparison.Ordinal))
                {
                    TryDelete(path);
                }
                else if (name.EndsWith(Extension, StringComparison.Ordinal) && UpdateIds.IsValid(name[..^Extension.Length]) && Read(path) is { } report)
                {
                    reports.Add(report with { Id = name[..^Extension.Length] });
                }
            }
        }

        reports.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        PruneLocked(reports);
        _reports = reports;
        return reports;
    }

    private UpdateReport? Read(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<UpdateReport>(stream, UpdateReportJson.Options);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            LogUnreadable(path, e.Message);
            return null;
        }
    }

    private void PruneLocked(List<UpdateReport> reports)
    {
        var settings = options.Value.Reports;
        var oldest = time.GetUtcNow() - settings.MaxAge;
        var remove = reports.Count - settings.MaxCount;
        var count = 0;
        while (count < reports.Count && (count < remove || reports[count].StartedAt < oldest))
        {
            count++;
        }

        foreach (var report in reports.Take(count))
        {
            TryDelete(Path.Combine(Directory, report.Id + Extension));
        }

        reports.RemoveRange(0, count);
    }

    private void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogUnreadable(path, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Report file {Path} skipped: {Error}")]
    private partial void LogUnreadable(string path, string error);
}
