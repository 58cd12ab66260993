using Courier.Testing.Conformance;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Sources.HermesDirectory.Tests;

public sealed class HermesDirectorySourceConformanceTests : SourceConformanceTests
{
    protected override string TypeName => "hermes-directory";

    protected override (string Entry, string Field) WrongEntry => ("""{"type": "hermes-directory", "subdirectory": 5}""", "subdirectory");

    protected override void AddPlugin(ICourierBuilder builder) => builder.AddHermesDirectorySource();

    protected override Task<string> CreateWorkingEntryAsync(CancellationToken cancellationToken)
    {
        Courier.Directory.WriteFile("hermes/to-upload/app.conf", "app");
        return Task.FromResult("""{"type": "hermes-directory", "subdirectory": "to-upload", "destinations": ["armada@office"]}""");
    }
}
