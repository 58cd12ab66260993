using Microsoft.Extensions.DependencyInjection;

namespace Courier.Sources.HermesDirectory;

/// <summary>The entry point the Courier host finds in this plugin: registers the <c>hermes-directory</c> source.</summary>
public sealed class HermesDirectorySourcePlugin : ICourierPlugin
{
    /// <inheritdoc />
    public void Configure(ICourierBuilder builder) => builder.AddHermesDirectorySource();
}
