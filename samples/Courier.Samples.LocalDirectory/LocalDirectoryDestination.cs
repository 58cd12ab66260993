using System.Diagnostics;

namespace Courier.Samples.LocalDirectory;

/// <summary>
/// Mirrors a snapshot into a folder of this machine: new and changed files are copied (each through a temporary
/// file and a rename, so a reader never sees half a file), files gone from the snapshot are deleted.
/// </summary>
internal sealed class LocalDirectoryDestination(string alias, string root) : IDestination
{
    public string Alias { get; } = alias;

    public string Type => LocalDirectoryDestinationFactory.TypeName;

    public Task<IReadOnlyList<DeliveryResult>> DeliverAsync(Snapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var started = Stopwatch.StartNew();
        var target = snapshot.DestinationPath is null ? root : Path.Combine(root, snapshot.DestinationPath);
        if (!Directory.Exists(snapshot.LocalDirectory) || !Directory.EnumerateFileSystemEntries(snapshot.LocalDirectory).Any())
        {
            return Done(DeliveryResult.Failure(target, $"refusing to deliver the empty or missing \"{snapshot.LocalDirectory}\": it would delete everything in {target}.", started.Elapsed));
        }

        try
        {
            var bytes = Mirror(snapshot.LocalDirectory, target, cancellationToken);
            return Done(DeliveryResult.Success(target, bytes, started.Elapsed));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Done(DeliveryResult.Failure(target, e.Message, started.Elapsed));
        }
    }

    private static long Mirror(string source, string target, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(target);
        long bytes = 0;
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var relative = Path.GetRelativePath(source, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith(".git", StringComparison.Ordinal)))
            {
                continue;
            }

            wanted.Add(relative);
            var destination = Path.Combine(target, relative);
            if (File.Exists(destination) && SameContent(file, destination))
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            var temporary = destination + ".courier-tmp";
            File.Copy(file, temporary, overwrite: true);
            File.Move(temporary, destination, overwrite: true);
            bytes += new FileInfo(destination).Length;
        }

        foreach (var file in Directory.EnumerateFiles(target, "*", SearchOption.AllDirectories).ToList())
        {
            if (!wanted.Contains(Path.GetRelativePath(target, file)))
            {
                File.Delete(file);
            }
        }

        foreach (var directory in Directory.EnumerateDirectories(target, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length).ToList())
        {
            if (!Directory.EnumerateFileSystemEntries(directory).Any())
            {
                Directory.Delete(directory);
            }
        }

        return bytes;
    }

    private static bool SameContent(string a, string b)
    {
        var infoA = new FileInfo(a);
        var infoB = new FileInfo(b);
        return infoA.Length == infoB.Length && File.ReadAllBytes(a).AsSpan().SequenceEqual(File.ReadAllBytes(b));
    }

    private static Task<IReadOnlyList<DeliveryResult>> Done(DeliveryResult result) => Task.FromResult<IReadOnlyList<DeliveryResult>>([result]);
}

/// <summary>Makes <c>"local-directory"</c> destinations: <c>{"type": "local-directory", "path": "/srv/delivered"}</c>; a relative path is relative to destinations.json.</summary>
internal sealed class LocalDirectoryDestinationFactory : IDestinationFactory
{
    public const string TypeName = "local-directory";

    public string Type => TypeName;

    public IDestination Create(DestinationDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return new LocalDirectoryDestination(definition.Alias, definition.ResolvePath(definition.GetRequiredString("path")));
    }
}
