using System.Diagnostics;
using System.Text.Json;

namespace Company.CourierPlugin;

/// <summary>
/// Makes <c>"example-type-key"</c> destinations: <c>{"type": "example-type-key", "path": "/srv/delivered"}</c>, or a list of
/// paths, each one a target (a relative path is relative to destinations.json). Replace the copy below with your delivery.
/// </summary>
internal sealed class ExampleDestinationFactory : IDestinationFactory
{
    public const string TypeName = "example-type-key";

    public string Type => TypeName;

    public IDestination Create(DestinationDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var paths = definition.Json.TryGetProperty("path", out var path) && path.ValueKind == JsonValueKind.Array
            ? definition.GetStringList("path")
            : [definition.GetRequiredString("path")];
        if (paths.Count == 0)
        {
            throw definition.Error("\"path\" lists no folder.");
        }

        return new ExampleDestination(definition.Alias, [.. paths.Select(definition.ResolvePath)]);
    }
}

/// <summary>
/// Copies a snapshot into folders of this machine, each a target; reports, never throws, when a target fails. Listing
/// the targets lets a rollout deliver to them wave by wave (a canary first) and check each one before the next wave.
/// </summary>
internal sealed class ExampleDestination(string alias, IReadOnlyList<string> roots) : IDestination
{
    public string Alias { get; } = alias;

    public string Type => ExampleDestinationFactory.TypeName;

    public async Task<IReadOnlyList<DeliveryResult>> DeliverAsync(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var results = new List<DeliveryResult>();
        foreach (var target in Targets())
        {
            results.AddRange(await target.DeliverAsync(snapshot, DeliveryOptions.Default, cancellationToken).ConfigureAwait(false));
        }

        return results;
    }

    public Task<IReadOnlyList<IDeliveryTarget>> ListTargetsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<IDeliveryTarget>>([.. Targets()]);

    private IEnumerable<FolderTarget> Targets() => roots.Select(root => new FolderTarget(root));

    /// <summary>One folder. Its name is stable from one update to the next: a rollout orders its waves by it.</summary>
    private sealed class FolderTarget(string root) : IDeliveryTarget
    {
        public string Name => root;

        // The host a health check's {host} stands for, and where its "command" runs: none for a local folder.
        public string? Host => null;

        public SshEndpoint? Ssh => null;

        public Task<IReadOnlyList<DeliveryResult>> DeliverAsync(Snapshot snapshot, DeliveryOptions options, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(snapshot);
            ArgumentNullException.ThrowIfNull(options);
            if (options.DryRun || options.Publish.Mode != PublishMode.InPlace)
            {
                throw new NotSupportedException($"the {ExampleDestinationFactory.TypeName} destination only copies in place; nothing was done.");
            }

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

        // Optional: the destination's own check after a delivery (null: healthy), run by a rollout's health gate.
        public Task<string?> CheckAsync(CancellationToken cancellationToken) =>
            Task.FromResult(Directory.Exists(root) ? null : $"{root} does not exist");

        private static Task<IReadOnlyList<DeliveryResult>> Done(DeliveryResult result) => Task.FromResult<IReadOnlyList<DeliveryResult>>([result]);
    }
}
