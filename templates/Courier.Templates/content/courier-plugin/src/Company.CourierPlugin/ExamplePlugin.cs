using Microsoft.Extensions.DependencyInjection;

namespace Company.CourierPlugin;

/// <summary>The one entry point the Courier host looks for in a plugin assembly.</summary>
public sealed class ExamplePlugin : ICourierPlugin
{
    /// <inheritdoc />
    public void Configure(ICourierBuilder builder) => builder.AddExample();
}
