using Courier.Core.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Core.Tests.Plugins;

public sealed class PluginAssemblyRegistrationTests
{
    [Fact]
    public void An_assembly_without_a_plugin_class_has_its_public_factories_registered_by_scanning()
    {
        var services = new ServiceCollection();
        services.AddCourier().AddCourierPluginsFrom(typeof(ScannedSourceFactory).Assembly);

        using var provider = services.BuildServiceProvider();
        var catalog = provider.GetRequiredService<PluginCatalog>();

        Assert.Equal(["scanned"], catalog.SourceTypes);
        Assert.IsType<ScannedSourceFactory>(Assert.Single(provider.GetServices<ISourceFactory>()));
        Assert.Empty(provider.GetServices<IDestinationFactory>());
    }

    [Fact]
    public void Registering_one_assembly_twice_registers_its_factories_once()
    {
        var services = new ServiceCollection();
        services.AddCourier().AddCourierPluginsFrom(typeof(ScannedSourceFactory).Assembly).AddCourierPluginsFrom(typeof(ScannedSourceFactory).Assembly);

        Assert.Single(services, d => d.ServiceType == typeof(ISourceFactory));
    }

    [Fact]
    public void An_assembly_with_neither_plugin_class_nor_factories_is_refused_with_what_it_lacks()
    {
        var services = new ServiceCollection();

        var error = Assert.Throws<InvalidOperationException>(() => services.AddCourier().AddCourierPluginsFrom(typeof(ISource).Assembly));

        Assert.Contains("Courier.Abstractions has no public class implementing Courier.ICourierPlugin", error.Message, StringComparison.Ordinal);
    }
}

/// <summary>The one public factory of this assembly (the others are internal and not scanned).</summary>
public sealed class ScannedSourceFactory : ISourceFactory
{
    /// <inheritdoc />
    public string Type => "scanned";

    /// <inheritdoc />
    public IReadOnlyList<ISource> Create(SourceDefinition definition) => [];
}
