using Courier;
using Company.CourierPlugin;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the <c>example-type-key</c> type; an app embedding Courier calls this directly.</summary>
public static class ExampleCourierBuilderExtensions
{
    /// <summary>Adds the <c>example-type-key</c> type.</summary>
    public static ICourierBuilder AddExample(this ICourierBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
#if (IsDestination)
        return builder.AddDestinationFactory<ExampleDestinationFactory>();
#else
        return builder.AddSourceFactory<ExampleSourceFactory>();
#endif
    }
}
