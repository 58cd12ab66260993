using Courier.Testing.Conformance;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Samples.Tests;

/// <summary>The sample <c>local-directory</c> destination against the conformance kit.</summary>
public sealed class LocalDirectoryDestinationConformanceTests : DestinationConformanceTests
{
    protected override string TypeName => "local-directory";

    protected override (string Entry, string Field) WrongEntry => ("""{"type": "local-directory", "path": 5}""", "path");

    protected override void AddPlugin(ICourierBuilder builder) => builder.AddLocalDirectoryDestination();

    protected override Task<string> CreateWorkingEntryAsync(CancellationToken cancellationToken) =>
        Task.FromResult("""{"type": "local-directory", "path": "../delivered"}""");

    protected override Task<string> CreateFailingEntryAsync(CancellationToken cancellationToken)
    {
        // A file where the target directory would be: the delivery cannot create it.
        Courier.Directory.WriteFile("blocked", "a file, not a directory");
        return Task.FromResult("""{"type": "local-directory", "path": "../blocked/delivered"}""");
    }
}

/// <summary>The sample <c>tarball</c> source against the conformance kit, reading an archive from a local file.</summary>
public sealed class TarballSourceConformanceTests : SourceConformanceTests
{
    protected override string TypeName => "tarball";

    protected override (string Entry, string Field) WrongEntry => ("""{"type": "tarball", "url": 5, "destination_path": "app"}""", "url");

    protected override void AddPlugin(ICourierBuilder builder) => builder.AddTarballSource();

    protected override Task<string> CreateWorkingEntryAsync(CancellationToken cancellationToken)
    {
        var archive = Courier.Directory.Combine("app.tar.gz");
        File.WriteAllBytes(archive, Tarballs.Of(new Dictionary<string, string> { ["app.conf"] = "app" }));
        return Task.FromResult($$"""{"type": "tarball", "url": "{{archive}}", "destination_path": "app", "destinations": ["local"]}""");
    }
}
