using Courier;
using Courier.Destinations.Remote;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the destinations of Courier.Destinations.Remote.</summary>
public static class RemoteDestinationsCourierBuilderExtensions
{
    /// <summary>Adds the <c>courier-remote</c> and <c>ssh</c> destination types.</summary>
    public static ICourierBuilder AddRemoteDestinations(this ICourierBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSshDestination();
    }

    /// <summary>Adds the <c>ssh</c> destination type: a direct hermes address (<c>address</c>, <c>path</c>).</summary>
    public static ICourierBuilder AddSshDestination(this ICourierBuilder builder) =>
        builder.AddDestinationFactory<SshDestinationFactory>();
}
