using Courier;
using Courier.Destinations.Remote;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the destinations of Courier.Destinations.Remote.</summary>
public static class RemoteDestinationsCourierBuilderExtensions
{
    /// <summary>Adds the <c>courier-remote</c> and <c>ssh</c> destination types.</summary>
    public static ICourierBuilder AddRemoteDestinations(this ICourierBuilder builder) =>
        builder.AddCourierRemoteDestination().AddSshDestination();

    /// <summary>
    /// Adds the <c>courier-remote</c> destination type: another Courier (<c>address</c>), optionally through an SSH
    /// gateway (<c>ssh-tunnel</c>), which forwards what it receives to its own destinations.
    /// </summary>
    public static ICourierBuilder AddCourierRemoteDestination(this ICourierBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // Each call sets its own deadline: forwarding through a remote Courier may take minutes.
        builder.Services.AddHttpClient(CourierRemoteDestination.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        return builder.AddDestinationFactory<CourierRemoteDestinationFactory>();
    }

    /// <summary>Adds the <c>ssh</c> destination type: a direct hermes address (<c>address</c>, <c>path</c>).</summary>
    public static ICourierBuilder AddSshDestination(this ICourierBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddDestinationFactory<SshDestinationFactory>();
    }
}
