using Courier.Testing.Conformance;
using Microsoft.Extensions.DependencyInjection;

namespace Company.CourierPlugin.Tests;

#if (IsDestination)
/// <summary>The <c>example-type-key</c> destination against the Courier conformance kit.</summary>
public sealed class ExampleConformanceTests : DestinationConformanceTests
{
    protected override string TypeName => "example-type-key";

    protected override (string Entry, string Field) WrongEntry => ("""{"type": "example-type-key", "path": 5}""", "path");

    protected override void AddPlugin(ICourierBuilder builder) => builder.AddExample();

    protected override Task<string> CreateWorkingEntryAsync(CancellationToken cancellationToken) =>
        Task.FromResult("""{"type": "example-type-key", "path": ["../delivered-a", "../delivered-b"]}""");

    protected override Task<string> CreateFailingEntryAsync(CancellationToken cancellationToken)
    {
        // A file where the target directory would be: the delivery cannot create it.
        Courier.Directory.WriteFile("blocked", "a file, not a directory");
        return Task.FromResult("""{"type": "example-type-key", "path": ["../delivered", "../blocked/delivered"]}""");
    }
}
#else
/// <summary>The <c>example-type-key</c> source against the Courier conformance kit.</summary>
public sealed class ExampleConformanceTests : SourceConformanceTests
{
    protected override string TypeName => "example-type-key";

    protected override (string Entry, string Field) WrongEntry => ("""{"type": "example-type-key", "path": 5, "destination_path": "app"}""", "path");

    protected override void AddPlugin(ICourierBuilder builder) => builder.AddExample();

    protected override Task<string> CreateWorkingEntryAsync(CancellationToken cancellationToken)
    {
        Courier.Directory.WriteFile("source/app.conf", "app");
        return Task.FromResult($$"""{"type": "example-type-key", "path": "{{Courier.Directory.Combine("source")}}", "destination_path": "app", "destinations": ["local"]}""");
    }
}
#endif
