using Microsoft.Extensions.DependencyInjection;

namespace Courier.Samples.LocalDirectory;

/// <summary>The one entry point the Courier host looks for in a plugin assembly.</summary>
public sealed class LocalDirectoryPlugin : ICourierPlugin
{
    /// <inheritdoc />
    public void Configure(ICourierBuilder builder) => builder.AddLocalDirectoryDestination();
}
