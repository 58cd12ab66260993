using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Courier.Sources.HermesDirectory;

/// <summary>The local hermes directory, or one subdirectory of it, delivered as it is.</summary>
internal sealed class HermesDirectorySource(string? subdirectory, string? destinationPath, IReadOnlyList<string> destinations, ICourierEnvironment environment) : ISource
{
    public string Id { get; } = $"hermes-directory:{subdirectory ?? "/"}";

    public string Type => HermesDirectorySourceFactory.TypeName;

    public IReadOnlyList<string> Destinations { get; } = destinations;

    public bool Matches(UpdateTrigger trigger) => trigger switch
    {
        UpdateTrigger.AllSources => true,
        UpdateTrigger.HermesDirectoryChanged changed => string.Equals(Normalize(changed.Subdirectory), subdirectory, StringComparison.Ordinal),
        _ => false,
    };

    public Task<Snapshot> PullAsync(CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(environment.HermesDirectory);
        var directory = subdirectory is null ? root : Path.GetFullPath(Path.Combine(root, subdirectory));
        if (subdirectory is not null && Directory.Exists(directory))
        {
            var resolvedRoot = ResolvedPath.Resolve(root);
            var resolved = ResolvedPath.Resolve(directory);
            if (!ResolvedPath.IsWithin(resolved, resolvedRoot))
            {
                // rsync follows the link of the directory it is given: the outside files would be delivered.
                throw new InvalidOperationException(
                    $"hermes subdirectory \"{subdirectory}\" resolves through a symbolic link to {resolved}, outside the hermes directory {resolvedRoot}; refusing to push.");
            }
        }

        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"hermes directory \"{directory}\" does not exist; refusing to push (rsync --delete would wipe the destination).");
        }

        var fingerprint = Fingerprint(directory, cancellationToken);
        if (fingerprint is null)
        {
            throw new InvalidOperationException($"hermes directory \"{directory}\" is empty; refusing to push (rsync --delete would wipe the destination).");
        }

        // Without a subdirectory the directory's contents go straight into the destination's hermes path.
        return Task.FromResult(new Snapshot(Id, directory, subdirectory is null ? null : destinationPath, fingerprint));
    }

    /// <summary>Subdirectories as the API and the config write them ("to-upload", "/to-upload/") compare equal.</summary>
    internal static string? Normalize(string? subdirectory)
    {
        var trimmed = subdirectory?.Trim().Trim('/');
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }

    /// <summary>
    /// A cheap revision: names, sizes and modification times of every file (null when there are none), except in
    /// <c>.courier/</c>, where atomic releases live: transfers never deliver it. A link to a directory (an atomic
    /// release's) is followed one level, as the transfer's <c>--copy-dirlinks</c> does.
    /// </summary>
    private static string? Fingerprint(string directory, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true };
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos("*", options))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var relative = Path.GetRelativePath(directory, entry.FullName);
            if (relative == ".courier" || relative.StartsWith(".courier/", StringComparison.Ordinal))
            {
                continue;
            }

            if (entry is FileInfo file)
            {
                lines.Add(Line(relative, file));
            }
            else if (entry.LinkTarget is not null && Directory.Exists(entry.FullName))
            {
                foreach (var linked in new DirectoryInfo(entry.FullName).EnumerateFiles("*", options))
                {
                    lines.Add(Line(Path.Combine(relative, Path.GetRelativePath(entry.FullName, linked.FullName)), linked));
                }
            }
        }

        if (lines.Count == 0)
        {
            return null;
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var line in lines.Order(StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(line));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }

    private static string Line(string relative, FileInfo file) =>
        string.Create(CultureInfo.InvariantCulture, $"{relative}\0{file.Length}\0{file.LastWriteTimeUtc.Ticks}\n");
}

/// <summary>
/// Makes <c>"hermes-directory"</c> sources: <c>{"type": "hermes-directory", "subdirectory": "to-upload",
/// "destination_path": "uploaded", "destinations": ["armada@office"]}</c>.
/// </summary>
internal sealed class HermesDirectorySourceFactory(ICourierEnvironment environment) : ISourceFactory
{
    public const string TypeName = "hermes-directory";

    public string Type => TypeName;

    public IReadOnlyList<ISource> Create(SourceDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var subdirectory = definition.GetRelativePath("subdirectory");
        var destinationPath = definition.GetRelativePath("destination_path");
        if (destinationPath is not null && subdirectory is null)
        {
            throw definition.Error("\"destination_path\" can only be set together with \"subdirectory\".");
        }

        return [new HermesDirectorySource(subdirectory, destinationPath ?? subdirectory, definition.GetStringList("destinations"), environment)];
    }
}
