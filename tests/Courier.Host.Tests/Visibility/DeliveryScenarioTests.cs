namespace Courier.Host.Tests.Visibility;

/// <summary>A test class whose tests run against a fresh <see cref="HermesSetup"/> holding the delivery scenario.</summary>
public abstract class DeliveryScenarioTests : IAsyncLifetime
{
    private protected HermesSetup Setup { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Setup = await HermesSetup.CreateAsync();
        DeliveryScenario.Configure(Setup);
    }

    public async Task DisposeAsync() => await Setup.DisposeAsync();
}
