using System.Security.Cryptography;
using System.Text;

namespace Company.CourierPlugin;

/// <summary>
/// Makes <c>"example-type-key"</c> sources: <c>{"type": "example-type-key", "path": "/srv/config", "destination_path": "app",
/// "destinations": ["local"]}</c> (a relative path is relative to the sources file). Replace the folder read below
/// with your pull.
/// </summary>
internal sealed class ExampleSourceFactory : ISourceFactory
{
    public const string TypeName = "example-type-key";

    public string Type => TypeName;

    public IReadOnlyList<ISource> Create(SourceDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var path = definition.ResolvePath(definition.GetRequiredString("path"));
        var destinationPath = definition.GetRequiredString("destination_path");
        if (destinationPath.StartsWith('/') || destinationPath.Split('/').Any(s => s is "" or "." or ".."))
        {
            throw definition.Error($"\"destination_path\" must be a relative directory name, got \"{destinationPath}\".");
        }

        return [new ExampleSource(path, destinationPath, definition.GetStringList("destinations"))];
    }
}

/// <summary>A folder of this machine; its revision is a hash of its file names, sizes and times.</summary>
internal sealed class ExampleSource(string path, string destinationPath, IReadOnlyList<string> destinations) : ISource
{
    public string Id { get; } = $"example-type-key:{path}#{destinationPath}";

    public string Type => ExampleSourceFactory.TypeName;

    public IReadOnlyList<string> Destinations { get; } = destinations;

    public bool Matches(UpdateTrigger trigger) => trigger is UpdateTrigger.AllSources;

    public Task<Snapshot> PullAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!Directory.Exists(path) || !Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Any())
        {
            throw new DirectoryNotFoundException($"\"{path}\" is missing or empty; nothing was delivered.");
        }

        var fingerprint = new StringBuilder();
        foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var info = new FileInfo(file);
            fingerprint.Append(Path.GetRelativePath(path, file)).Append('|').Append(info.Length).Append('|').Append(info.LastWriteTimeUtc.Ticks).Append('\n');
        }

        var revision = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(fingerprint.ToString())));
        return Task.FromResult(new Snapshot(Id, path, destinationPath, revision));
    }
}
