using Courier;
using Courier.Samples.TarballSource;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the sample <c>tarball</c> source; an embedding app calls this directly.</summary>
public static class TarballCourierBuilderExtensions
{
    /// <summary>Adds the <c>tarball</c> source type: a <c>.tar.gz</c> archive from an HTTP(S) URL or a local file.</summary>
    public static ICourierBuilder AddTarballSource(this ICourierBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHttpClient(TarballArchiveSource.HttpClientName);
        return builder.AddSourceFactory<TarballSourceFactory>();
    }
}
