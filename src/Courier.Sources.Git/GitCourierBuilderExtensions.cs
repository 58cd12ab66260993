using Courier;
using Courier.Sources.Git;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the <c>git</c> source.</summary>
public static class GitCourierBuilderExtensions
{
    /// <summary>
    /// Adds the <c>git</c> source type: configuration pulled from git repositories (SSH, HTTPS or local) into a
    /// persistent cache under the state directory.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static ICourierBuilder AddGitSource(this ICourierBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<GitRepositoryCache>();
        return builder.AddSourceFactory<GitSourceFactory>();
    }
}
