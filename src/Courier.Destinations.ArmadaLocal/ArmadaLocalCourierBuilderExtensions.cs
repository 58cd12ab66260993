using Courier;
using Courier.Destinations.ArmadaLocal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the <c>armada-local</c> destination.</summary>
public static class ArmadaLocalCourierBuilderExtensions
{
    /// <summary>
    /// Adds the <c>armada-local</c> destination type: every passing or warning Armada agent of the cluster, found
    /// through the Armada API (<c>armada_api</c>, else <c>Courier:ArmadaApi</c>, else the default gateway on port 8900).
    /// </summary>
    public static ICourierBuilder AddArmadaLocalDestination(this ICourierBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHttpClient(ArmadaLocalDestination.HttpClientName);
        return builder.AddDestinationFactory<ArmadaLocalDestinationFactory>();
    }
}
