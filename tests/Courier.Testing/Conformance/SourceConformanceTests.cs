using Xunit;

namespace Courier.Testing.Conformance;

/// <summary>
/// What every source plugin must do, as xunit tests: derive a test class, name the type, register the plugin and
/// give a working entry and a wrong one. The entries are written to <c>config/sources/conformance.json</c> of
/// <see cref="Courier"/>'s directory; relative paths in them are relative to <c>config/sources/</c>.
/// </summary>
public abstract class SourceConformanceTests : PluginConformanceTests
{
    /// <summary>An entry (a JSON object) whose sources pull a snapshot with files; prepare what it needs here.</summary>
    protected abstract Task<string> CreateWorkingEntryAsync(CancellationToken cancellationToken);

    private protected override string ConfigurationFile => Path.Combine(Courier.ConfigDirectory, "sources", "conformance.json");

    private protected override string EntryName => "entry #1";

    private protected override int FactoriesClaiming(string type) => Courier.SourceFactories(type).Count;

    private protected override void CreateFrom(string entry) => Courier.CreateSources(TypeName, entry);

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
