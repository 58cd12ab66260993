namespace Courier.Faults.Tests;

/// <summary>A test class with a fresh <see cref="FaultSite"/> for each test, removed after it.</summary>
public abstract class FaultSiteTests : IAsyncLifetime
{
    /// <summary>This test's site: a host (once started), its sources and a healthy sshd target.</summary>
    protected FaultSite Site { get; private set; } = null!;

    public async Task InitializeAsync() => Site = await FaultSite.CreateAsync();

    public async Task DisposeAsync() => await Site.DisposeAsync();
}
