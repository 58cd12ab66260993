using Xunit;

namespace Courier.Testing.Conformance;

/// <summary>
/// What source and destination plugins share: the engine with the plugin registered, the type key, and the
/// configuration-error tests (the type resolves in any case; a wrong entry is an error naming the file, the entry
/// and the field). Derive from <see cref="SourceConformanceTests"/> or <see cref="DestinationConformanceTests"/>.
/// </summary>
public abstract class PluginConformanceTests : IAsyncLifetime
{
    private ConformanceCourier? _courier;

    private protected PluginConformanceTests()
    {
    }

    /// <summary>The configuration <c>"type"</c> of the plugin.</summary>
    protected abstract string TypeName { get; }

    /// <summary>The engine with the plugin registered (created before each test).</summary>
    protected ConformanceCourier Courier => _courier ?? throw new InvalidOperationException("Not initialized.");

    /// <summary>An entry with one wrong field, and that field's name, which the error must name.</summary>
    protected abstract (string Entry, string Field) WrongEntry { get; }

    /// <summary>The configuration file the entries are written to, which errors must name.</summary>
    private protected abstract string ConfigurationFile { get; }

    /// <summary>How errors name the entry (<c>entry #1</c>, an alias).</summary>
    private protected abstract string EntryName { get; }

    /// <summary>Registers the plugin, as an embedding app does: <c>builder.AddMyPlugin()</c>.</summary>
    protected abstract void AddPlugin(ICourierBuilder builder);

    /// <summary>Sets engine options before the plugin is used (the hermes and state directories are set already).</summary>
    protected virtual void ConfigureCourier(Core.CourierOptions options)
    {
    }

    /// <inheritdoc />
    public virtual Task InitializeAsync()
    {
        _courier = new ConformanceCourier(AddPlugin, ConfigureCourier);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public virtual Task DisposeAsync()
    {
        _courier?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Exactly one factory claims the type, whatever its case.</summary>
    [Fact]
    public void Resolves_by_its_type_key()
    {
        Assert.Equal(1, FactoriesClaiming(TypeName));
        Assert.Equal(1, FactoriesClaiming(TypeName.ToUpperInvariant()));
    }

    /// <summary>A wrong entry is a <see cref="CourierConfigurationException"/> naming the file, the entry and the field.</summary>
    [Fact]
    public void A_wrong_entry_raises_a_configuration_error_naming_the_file_the_entry_and_the_field()
    {
        var (entry, field) = WrongEntry;

        var error = Assert.Throws<CourierConfigurationException>(() => CreateFrom(entry));

        Assert.Contains(ConfigurationFile, error.Message, StringComparison.Ordinal);
        Assert.Contains(EntryName, error.Message, StringComparison.Ordinal);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    /// <summary>How many registered factories claim <paramref name="type"/>.</summary>
    private protected abstract int FactoriesClaiming(string type);

    /// <summary>Reads <paramref name="entry"/> as the engine does (written to <see cref="ConfigurationFile"/>).</summary>
    private protected abstract void CreateFrom(string entry);
}
