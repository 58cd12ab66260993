using Microsoft.Extensions.DependencyInjection;

namespace Courier.Sources.Git;

/// <summary>The entry point the Courier host finds in this plugin: registers the <c>git</c> source.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class GitSourcePlugin : ICourierPlugin
{
    /// <inheritdoc />
    public void Configure(ICourierBuilder builder) => builder.AddGitSource();
}
