using Microsoft.Extensions.DependencyInjection;

namespace Courier.Destinations.Remote;

/// <summary>The entry point the Courier host finds in this plugin: registers the <c>courier-remote</c> and <c>ssh</c> destinations.</summary>
public sealed class RemoteDestinationsPlugin : ICourierPlugin
{
    /// <inheritdoc />
    public void Configure(ICourierBuilder builder) => builder.AddRemoteDestinations();
}
