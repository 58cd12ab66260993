using System.Text.Json;

namespace Courier.Core.Tests;

/// <summary>A minimal source type for engine tests: a local directory given by "path".</summary>
internal sealed class DirectorySourceFactory : ISourceFactory
{
    public string Type => "test-directory";

    public IReadOnlyList<ISource> Create(SourceDefinition definition) =>
        [new DirectorySource(definition.GetRequiredString("path"), definition.GetString("destination_path"), definition.GetStringList("destinations"))];
}

internal sealed class DirectorySource(string path, string? destinationPath, IReadOnlyList<string> destinations) : ISource
{
    public string Id => $"test-directory:{path}";

    public string Type => "test-directory";

    public IReadOnlyList<string> Destinations => destinations;

    public bool Matches(UpdateTrigger trigger) => trigger is UpdateTrigger.AllSources;

    public Task<Snapshot> PullAsync(CancellationToken cancellationToken) =>
        Directory.Exists(path)
            ? Task.FromResult(new Snapshot(Id, path, destinationPath, "r1"))
            : throw new DirectoryNotFoundException($"{path} does not exist");
}

/// <summary>A second factory claiming "test-directory", to prove duplicates are refused.</summary>
internal sealed class ClashingSourceFactory : ISourceFactory
{
    public string Type => "TEST-directory";

    public IReadOnlyList<ISource> Create(SourceDefinition definition) => [];
}

/// <summary>A destination type that records what it was asked to deliver.</summary>
internal sealed class RecordingDestinationFactory : IDestinationFactory
{
    public string Type => "recording";

    public IDestination Create(DestinationDefinition definition)
    {
        var name = definition.GetRequiredString("name");
        return name == "explode" ? new RecordingDestination(definition.Alias, name, fail: true) : new RecordingDestination(definition.Alias, name, fail: false);
    }
}

internal sealed class RecordingDestination(string alias, string name, bool fail) : IDestination
{
    public string Alias => alias;

    public string Type => "recording";

    public string Name => name;

    public Task<IReadOnlyList<DeliveryResult>> DeliverAsync(Snapshot snapshot, CancellationToken cancellationToken) =>
        fail
            ? throw new InvalidOperationException($"{name} cannot deliver")
            : Task.FromResult<IReadOnlyList<DeliveryResult>>([DeliveryResult.Success($"{name}:{snapshot.DestinationPath}", 1, TimeSpan.Zero)]);
}

internal static class Json
{
    public static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
