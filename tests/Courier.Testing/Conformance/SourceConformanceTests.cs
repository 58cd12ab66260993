using Xunit;

namespace Courier.Testing.Conformance;

/// <summary>
/// What every source plugin must do, as xunit tests: derive a test class, name the type, register the plugin and
/// give a working entry and a wrong one. The entries are written to <c>config/sources/conformance.json</c> of
/// <see cref="Courier"/>'s directory; relative paths in them are relative to <c>config/sources/</c>.
/// </summary>
public abstract class SourceConformanceTests : IAsyncLifetime
{
    private ConformanceCourier? _courier;

    /// <summary>The configuration <c>"type"</c> of the source.</summary>
    protected abstract string TypeName { get; }

    /// <summary>The engine with the plugin registered (created before each test).</summary>
    protected ConformanceCourier Courier => _courier ?? throw new InvalidOperationException("Not initialized.");

    /// <summary>Registers the plugin, as an embedding app does: <c>builder.AddMySource()</c>.</summary>
    protected abstract void AddPlugin(ICourierBuilder builder);

    /// <summary>Sets engine options before the plugin is used (the hermes and state directories are set already).</summary>
    protected virtual void ConfigureCourier(Core.CourierOptions options)
    {
    }

    /// <summary>An entry (a JSON object) whose sources pull a snapshot with files; prepare what it needs here.</summary>
    protected abstract Task<string> CreateWorkingEntryAsync(CancellationToken cancellationToken);

    /// <summary>An entry with one wrong field, and that field's name, which the error must name.</summary>
    protected abstract (string Entry, string Field) WrongEntry { get; }

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
        Assert.Single(Courier.SourceFactories(TypeName));
        Assert.Single(Courier.SourceFactories(TypeName.ToUpperInvariant()));
    }

    /// <summary>A wrong entry is a <see cref="CourierConfigurationException"/> naming the file, the entry and the field.</summary>
    [Fact]
    public void A_wrong_entry_raises_a_configuration_error_naming_the_file_the_entry_and_the_field()
    {
        var (entry, field) = WrongEntry;

        var error = Assert.Throws<CourierConfigurationException>(() => Courier.CreateSources(TypeName, entry));

        Assert.Contains(Path.Combine(Courier.ConfigDirectory, "sources", "conformance.json"), error.Message, StringComparison.Ordinal);
        Assert.Contains("entry #1", error.Message, StringComparison.Ordinal);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    /// <summary>A pull gives a directory with files and a revision; a source never returns an empty snapshot.</summary>
    [Fact]
    public async Task Pulls_a_snapshot_that_is_never_empty()
    {
        var sources = Courier.CreateSources(TypeName, await CreateWorkingEntryAsync(CancellationToken.None));

        Assert.NotEmpty(sources);
        foreach (var source in sources)
        {
            Assert.Equal(TypeName, source.Type, ignoreCase: true);
            var snapshot = await source.PullAsync(CancellationToken.None);
            Assert.False(string.IsNullOrWhiteSpace(snapshot.Revision), $"{source.Id}: a snapshot has a revision");
            Assert.True(Directory.Exists(snapshot.LocalDirectory), $"{source.Id}: {snapshot.LocalDirectory} exists");
            Assert.NotEmpty(Directory.EnumerateFiles(snapshot.LocalDirectory, "*", SearchOption.AllDirectories));
        }
    }

    /// <summary>A pull with a cancelled token ends in <see cref="OperationCanceledException"/>.</summary>
    [Fact]
    public async Task Honours_cancellation()
    {
        var source = Courier.CreateSources(TypeName, await CreateWorkingEntryAsync(CancellationToken.None))[0];
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => source.PullAsync(cancellation.Token));
    }
}
