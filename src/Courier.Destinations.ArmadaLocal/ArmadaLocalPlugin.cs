using Microsoft.Extensions.DependencyInjection;

namespace Courier.Destinations.ArmadaLocal;

/// <summary>The entry point the Courier host finds in this plugin: registers the <c>armada-local</c> destination.</summary>
public sealed class ArmadaLocalPlugin : ICourierPlugin
{
    /// <inheritdoc />
    public void Configure(ICourierBuilder builder) => builder.AddArmadaLocalDestination();
}
