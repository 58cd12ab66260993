using System.Diagnostics;

namespace Company.CourierPlugin;

/// <summary>
/// Makes <c>"example-type-key"</c> destinations: <c>{"type": "example-type-key", "path": "/srv/delivered"}</c> (a relative path
/// is relative to destinations.json). Replace the copy below with your delivery.
/// </summary>
internal sealed class ExampleDestinationFactory : IDestinationFactory
{
    public const string TypeName = "example-type-key";

    public string Type => TypeName;

    public IDestination Create(DestinationDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return new ExampleDestination(definition.Alias, definition.ResolvePath(definition.GetRequiredString("path")));
    }
}

/// <summary>Copies a snapshot into a folder of this machine; reports, never throws, when a target fails.</summary>
internal sealed class ExampleDestination(string alias, string root) : IDestination
{
    public string Alias { get; } = alias;

    public string Type => ExampleDestinationFactory.TypeName;

    public Task<IReadOnlyList<DeliveryResult>> DeliverAsync(Snapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var started = Stopwatch.StartNew();
        var target = snapshot.DestinationPath is null ? root : Path.Combine(root, snapshot.DestinationPath);
        try
        {
            long bytes = 0;
            foreach (var file in Directory.EnumerateFiles(snapshot.LocalDirectory, "*", SearchOption.AllDirectories))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var destination = Path.Combine(target, Path.GetRelativePath(snapshot.LocalDirectory, file));
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                File.Copy(file, destination, overwrite: true);
                bytes += new FileInfo(destination).Length;
            }

            return Done(DeliveryResult.Success(target, bytes, started.Elapsed));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Done(DeliveryResult.Failure(target, e.Message, started.Elapsed));
        }
    }

    private static Task<IReadOnlyList<DeliveryResult>> Done(DeliveryResult result) => Task.FromResult<IReadOnlyList<DeliveryResult>>([result]);
}
