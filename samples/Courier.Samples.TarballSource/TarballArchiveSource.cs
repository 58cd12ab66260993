using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace Courier.Samples.TarballSource;

/// <summary>
/// A <c>.tar.gz</c> archive, downloaded over HTTP(S) or read from a local file, extracted into
/// <c>STATE/tarball/KEY/SHA256</c> and delivered as <c>PATH/destination_path</c>. The revision is the archive's
/// SHA-256, so the same archive is extracted once and a changed one gets a directory of its own.
/// </summary>
internal sealed partial class TarballArchiveSource(
    ArchiveLocation location,
    string destinationPath,
    IReadOnlyList<string> destinations,
    ICourierEnvironment environment,
    IHttpClientFactory httpClients,
    ILogger<TarballArchiveSource> logger) : ISource
{
    internal const string HttpClientName = "Courier.Samples.TarballSource";
    private const int BufferSize = 81920;

    /// <summary>The largest archive fetched; reading stops there.</summary>
    internal const long MaxArchiveBytes = 512L << 20;

    public string Id { get; } = $"tarball:{location.Display}#{destinationPath}";

    public string Type => TarballSourceFactory.TypeName;

    public IReadOnlyList<string> Destinations { get; } = destinations;

    /// <summary>An archive has no push event of its own: only "update everything" concerns it.</summary>
    public bool Matches(UpdateTrigger trigger) => trigger is UpdateTrigger.AllSources;

    public async Task<Snapshot> PullAsync(CancellationToken cancellationToken)
    {
        // One folder per source (the engine never runs two pulls of one source at once, so nothing here races).
        var sourceDirectory = Path.Combine(Path.GetFullPath(environment.StateDirectory), "tarball", Key(location.Identity, destinationPath));
        Directory.CreateDirectory(sourceDirectory);
        var download = Path.Combine(sourceDirectory, $".download-{Guid.NewGuid():N}.tar.gz");
        try
        {
            var revision = await FetchAsync(download, cancellationToken).ConfigureAwait(false);
            var extracted = Path.Combine(sourceDirectory, revision);
            if (Directory.Exists(extracted))
            {
                LogReused(Id, revision, extracted);
            }
            else
            {
                var files = Extract(download, sourceDirectory, extracted, cancellationToken);
                LogExtracted(Id, revision, files, extracted);
            }

            RemoveAllBut(sourceDirectory, extracted, download);
            return new Snapshot(Id, extracted, destinationPath, revision);
        }
        finally
        {
            File.Delete(download);
        }
    }

    /// <summary>Copies the archive to <paramref name="target"/> (so it cannot change while it is extracted); returns its SHA-256.</summary>
    private async Task<string> FetchAsync(string target, CancellationToken cancellationToken)
    {
        if (location.Url is null)
        {
            FileStream input;
            try
            {
                input = new FileStream(location.FilePath!, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                throw new FileNotFoundException($"archive \"{location.FilePath}\" does not exist; nothing was delivered.", location.FilePath, e);
            }

            await using (input.ConfigureAwait(false))
            {
                return await CopyHashingAsync(input, target, cancellationToken).ConfigureAwait(false);
            }
        }

        var client = httpClients.CreateClient(HttpClientName);
        try
        {
            using var response = await client.GetAsync(location.Url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"GET {location.Display} answered {(int)response.StatusCode} {response.ReasonPhrase}; nothing was delivered.", null, response.StatusCode);
            }

            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                return await CopyHashingAsync(body, target, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (HttpRequestException e) when (e.StatusCode is null)
        {
            throw new HttpRequestException($"GET {location.Display} failed: {e.Message}", e);
        }
    }

    private static async Task<string> CopyHashingAsync(Stream input, string target, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
        await using (output.ConfigureAwait(false))
        {
            var buffer = new byte[BufferSize];
            int read;
            long total = 0;
            while ((read = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if ((total += read) > MaxArchiveBytes)
                {
                    throw new InvalidDataException($"the archive is larger than {MaxArchiveBytes} bytes; nothing was delivered.");
                }

                hash.AppendData(buffer, 0, read);
                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Extracts into a temporary folder beside <paramref name="extracted"/>, then renames it: the directory is whole or absent.</summary>
    private static int Extract(string archive, string sourceDirectory, string extracted, CancellationToken cancellationToken)
    {
        var temporary = Path.Combine(sourceDirectory, $".extract-{Guid.NewGuid():N}");
        try
        {
            var files = TarballExtractor.Extract(archive, temporary, cancellationToken);
            Directory.Move(temporary, extracted);
            return files;
        }
        finally
        {
            if (Directory.Exists(temporary))
            {
                Directory.Delete(temporary, recursive: true);
            }
        }
    }

    /// <summary>Removes older revisions and leftovers of interrupted pulls: only the snapshot being delivered stays.</summary>
    private static void RemoveAllBut(string sourceDirectory, string keep, string download)
    {
        foreach (var entry in new DirectoryInfo(sourceDirectory).EnumerateFileSystemInfos())
        {
            if (string.Equals(entry.FullName, keep, StringComparison.Ordinal) || string.Equals(entry.FullName, download, StringComparison.Ordinal))
            {
                continue;
            }

            try
            {
                if (entry is DirectoryInfo directory && directory.LinkTarget is null)
                {
                    directory.Delete(recursive: true);
                }
                else
                {
                    entry.Delete();
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Best effort: a stale revision takes space, nothing else.
            }
        }
    }

    /// <summary>A short, file-system-safe key for the source: the same URL and destination path always map to the same folder.</summary>
    private static string Key(string identity, string destinationPath) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{identity}\n{destinationPath}")))[..16];

    [LoggerMessage(Level = LogLevel.Information, Message = "Extracted {Source} revision {Revision} ({Files} files) into {Directory}")]
    private partial void LogExtracted(string source, string revision, int files, string directory);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Source} revision {Revision} is already extracted in {Directory}")]
    private partial void LogReused(string source, string revision, string directory);
}
