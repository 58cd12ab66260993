using Microsoft.Extensions.DependencyInjection;

namespace Courier.Samples.TarballSource;

/// <summary>The one entry point the Courier host looks for in a plugin assembly.</summary>
public sealed class TarballSourcePlugin : ICourierPlugin
{
    /// <inheritdoc />
    public void Configure(ICourierBuilder builder) => builder.AddTarballSource();
}
