using System.Text.Json;
using Courier.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Testing.Conformance;

/// <summary>
/// The engine with one plugin registered, over a temporary hermes and state directory, and the configuration
/// files the conformance tests write: what both conformance base classes share.
/// </summary>
public sealed class ConformanceCourier : IDisposable
{
    private readonly ServiceProvider _services;

    /// <summary>Builds the engine with <paramref name="addPlugin"/> (the plugin's <c>AddX()</c>) registered.</summary>
    public ConformanceCourier(Action<ICourierBuilder> addPlugin, Action<CourierOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(addPlugin);
        Directory = TempDirectory.Create("courier-conformance");
        var services = new ServiceCollection();
        addPlugin(services.AddCourier(options =>
        {
            options.HermesDirectory = Directory.Combine("hermes");
            options.StateDirectory = Directory.Combine("state");
            configure?.Invoke(options);
        }));
        _services = services.BuildServiceProvider();
    }

    /// <summary>A temporary directory for everything of the test: <c>hermes/</c>, <c>state/</c>, <c>config/</c>.</summary>
    public TempDirectory Directory { get; }

    /// <summary>The engine's services.</summary>
    public IServiceProvider Services => _services;

    /// <summary>The configuration directory (<c>config/</c> of <see cref="Directory"/>).</summary>
    public string ConfigDirectory => Directory.Combine("config");

    /// <summary>The registered source factories whose type is <paramref name="type"/> (compared case-insensitively).</summary>
    public IReadOnlyList<ISourceFactory> SourceFactories(string type) =>
        [.. _services.GetServices<ISourceFactory>().Where(f => string.Equals(f.Type, type, StringComparison.OrdinalIgnoreCase))];

    /// <summary>The registered destination factories whose type is <paramref name="type"/> (compared case-insensitively).</summary>
    public IReadOnlyList<IDestinationFactory> DestinationFactories(string type) =>
        [.. _services.GetServices<IDestinationFactory>().Where(f => string.Equals(f.Type, type, StringComparison.OrdinalIgnoreCase))];

    /// <summary>Writes <c>config/sources/conformance.json</c> holding <paramref name="entry"/> and makes its sources.</summary>
    public IReadOnlyList<ISource> CreateSources(string type, string entry)
    {
        var file = Directory.WriteFile("config/sources/conformance.json", $"[{entry}]");
        using var document = JsonDocument.Parse(entry);
        return SourceFactories(type).Single().Create(new SourceDefinition(document.RootElement.Clone(), file, 0));
    }

    /// <summary>Writes <c>config/destinations.json</c> holding <paramref name="entry"/> as <paramref name="alias"/> and makes the destination.</summary>
    public IDestination CreateDestination(string type, string alias, string entry, SshLogin defaultLogin)
    {
        var file = Directory.WriteFile("config/destinations.json", $"{{{JsonSerializer.Serialize(alias)}: {entry}}}");
        using var document = JsonDocument.Parse(entry);
        return DestinationFactories(type).Single().Create(new DestinationDefinition(alias, document.RootElement.Clone(), file, defaultLogin));
    }

    /// <summary>Writes a snapshot directory with one file and returns it, delivered under <paramref name="destinationPath"/>.</summary>
    public Snapshot WriteSnapshot(string destinationPath = "conformance")
    {
        var directory = Directory.Combine("snapshot", Guid.NewGuid().ToString("N"));
        Directory.WriteFile(Path.Combine(directory, "app.conf"), "delivered by the conformance kit\n");
        return new Snapshot("conformance:snapshot", directory, destinationPath, "conformance-revision");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _services.Dispose();
        Directory.Dispose();
    }
}
