using Courier;
using Courier.Samples.LocalDirectory;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the sample <c>local-directory</c> destination; an embedding app calls this directly.</summary>
public static class LocalDirectoryCourierBuilderExtensions
{
    /// <summary>Adds the <c>local-directory</c> destination type.</summary>
    public static ICourierBuilder AddLocalDirectoryDestination(this ICourierBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddDestinationFactory<LocalDirectoryDestinationFactory>();
    }
}
