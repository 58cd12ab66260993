using Xunit;

namespace Courier.Testing.Conformance;

/// <summary>
/// What every destination plugin must do, as xunit tests: derive a test class, name the type, register the
/// plugin and give entries (a working one, one whose targets fail, a wrong one). The entries are written to
/// <c>config/destinations.json</c> of <see cref="Courier"/>'s directory as alias <c>conformance</c>.
/// </summary>
public abstract partial class DestinationConformanceTests : PluginConformanceTests
{
    /// <summary>The alias the entries are written under.</summary>
    protected const string Alias = "conformance";

    /// <summary>The SSH login of entries without an <c>"ssh"</c> object.</summary>
    protected virtual SshLogin DefaultSshLogin => new("docker", null, true);

    /// <summary>An entry (a JSON object) whose targets all receive a delivery; start what it needs here.</summary>
    protected abstract Task<string> CreateWorkingEntryAsync(CancellationToken cancellationToken);

    /// <summary>An entry with a target that fails (nothing listening, a refused login, ...).</summary>
    protected abstract Task<string> CreateFailingEntryAsync(CancellationToken cancellationToken);

    private protected override string ConfigurationFile => Path.Combine(Courier.ConfigDirectory, "destinations.json");

    private protected override string EntryName => $"\"{Alias}\"";

    private protected override int FactoriesClaiming(string type) => Courier.DestinationFactories(type).Count;

    private protected override void CreateFrom(string entry) => Courier.CreateDestination(TypeName, Alias, entry, DefaultSshLogin);

    /// <summary>A working entry delivers to every target, one well-formed result each.</summary>
    [Fact]
    public async Task Delivers_with_one_well_formed_result_per_target()
    {
        var destination = Courier.CreateDestination(TypeName, Alias, await CreateWorkingEntryAsync(CancellationToken.None), DefaultSshLogin);

        var results = await destination.DeliverAsync(Courier.WriteSnapshot(), CancellationToken.None);

        Assert.NotEmpty(results);
        Assert.All(results, AssertWellFormed);
        Assert.All(results, r => Assert.True(r.Succeeded, $"{r.Target}: {r.Error}"));
    }

    /// <summary>A target that fails is a failed result with its reason, never an exception.</summary>
    [Fact]
    public async Task A_failing_target_is_reported_in_the_result_and_never_thrown()
    {
        var destination = Courier.CreateDestination(TypeName, Alias, await CreateFailingEntryAsync(CancellationToken.None), DefaultSshLogin);

        var results = await destination.DeliverAsync(Courier.WriteSnapshot(), CancellationToken.None);

        Assert.NotEmpty(results);
        Assert.All(results, AssertWellFormed);
        Assert.Contains(results, r => !r.Succeeded);
    }

    /// <summary>A delivery with a cancelled token ends in <see cref="OperationCanceledException"/>.</summary>
    [Fact]
    public async Task Honours_cancellation()
    {
        var destination = Courier.CreateDestination(TypeName, Alias, await CreateWorkingEntryAsync(CancellationToken.None), DefaultSshLogin);
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => destination.DeliverAsync(Courier.WriteSnapshot(), cancellation.Token));
    }

    /// <summary>A result names its target, has an error exactly when it failed, and no negative counts.</summary>
    protected static void AssertWellFormed(DeliveryResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Assert.False(string.IsNullOrWhiteSpace(result.Target), "a result names its target");
        Assert.Equal(result.Succeeded, result.Error is null);
        Assert.True(result.Succeeded || !string.IsNullOrWhiteSpace(result.Error), $"{result.Target}: a failure says why");
        Assert.True(result.BytesSent >= 0, $"{result.Target}: bytes sent {result.BytesSent}");
        Assert.True(result.Duration >= TimeSpan.Zero, $"{result.Target}: duration {result.Duration}");
    }
}
