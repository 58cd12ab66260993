using Courier;
using Courier.Sources.HermesDirectory;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the <c>hermes-directory</c> source.</summary>
public static class HermesDirectoryCourierBuilderExtensions
{
    /// <summary>Adds the <c>hermes-directory</c> source type: the local hermes directory or one of its subdirectories.</summary>
    public static ICourierBuilder AddHermesDirectorySource(this ICourierBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSourceFactory<HermesDirectorySourceFactory>();
    }
}
