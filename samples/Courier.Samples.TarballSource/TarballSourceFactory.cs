using Microsoft.Extensions.Logging;

namespace Courier.Samples.TarballSource;

/// <summary>
/// Makes <c>"tarball"</c> sources: <c>{"type": "tarball", "url": "https://config.initech.com/app.tar.gz",
/// "destination_path": "app-config", "destinations": ["local"]}</c>. <c>url</c> is an http(s) URL, a
/// <c>file://</c> URL or a path (relative to the sources file).
/// </summary>
internal sealed class TarballSourceFactory(ICourierEnvironment environment, IHttpClientFactory httpClients, ILoggerFactory loggers) : ISourceFactory
{
    public const string TypeName = "tarball";

    public string Type => TypeName;

    public IReadOnlyList<ISource> Create(SourceDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var location = ArchiveLocation.Parse(definition, definition.GetRequiredString("url"));
        var destinationPath = definition.GetRequiredString("destination_path");
        var segments = destinationPath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (destinationPath.StartsWith('/') || segments.Length == 0 || segments.Any(s => s is "." or "..") ||
            destinationPath.Any(char.IsControl) || destinationPath.Contains('\\', StringComparison.Ordinal))
        {
            throw definition.Error($"\"destination_path\" must be a relative directory name (no \"..\", not absolute), got \"{destinationPath}\".");
        }

        return
        [
            new TarballArchiveSource(
                location,
                string.Join('/', segments),
                definition.GetStringList("destinations"),
                environment,
                httpClients,
                loggers.CreateLogger<TarballArchiveSource>()),
        ];
    }
}

/// <summary>Where an archive comes from: an http(s) URL or a local file.</summary>
internal sealed class ArchiveLocation
{
    private ArchiveLocation(Uri? url, string? filePath)
    {
        Url = url;
        FilePath = filePath;
        Identity = url?.AbsoluteUri ?? filePath!;

        // Reports and logs never show credentials written into a URL.
        Display = url is null ? filePath! : string.IsNullOrEmpty(url.UserInfo) ? url.AbsoluteUri : url.AbsoluteUri.Replace(url.UserInfo + "@", "***@", StringComparison.Ordinal);
    }

    /// <summary>The http(s) URL, or <see langword="null"/> for a local file.</summary>
    public Uri? Url { get; }

    /// <summary>The absolute path of a local archive, or <see langword="null"/> for a URL.</summary>
    public string? FilePath { get; }

    /// <summary>What identifies the archive (the full URL or path).</summary>
    public string Identity { get; }

    /// <summary>How people see it: the URL without its credentials, or the path.</summary>
    public string Display { get; }

    public static ArchiveLocation Parse(SourceDefinition definition, string value)
    {
        if (value.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri))
            {
                throw definition.Error($"\"url\" is not a valid URL: \"{value}\".");
            }

            if (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            {
                return new ArchiveLocation(uri, null);
            }

            if (uri.IsFile)
            {
                return new ArchiveLocation(null, Path.GetFullPath(uri.LocalPath));
            }

            throw definition.Error($"\"url\" must be an http(s) URL, a file:// URL or a path, got the scheme \"{uri.Scheme}\".");
        }

        // A plain path; a relative one is relative to the sources file, as every path of Hermes configuration.
        return new ArchiveLocation(null, definition.ResolvePath(value));
    }
}
