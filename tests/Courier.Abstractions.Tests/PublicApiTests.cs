using System.Reflection;
using Courier.Testing.Approval;

namespace Courier.Abstractions.Tests;

/// <summary>
/// The contracts barely move: any change of Courier.Abstractions' public API (with nullability and static members)
/// shows up here, to be approved on purpose (copy PublicApi.received.txt over PublicApi.approved.txt). Package
/// validation checks the same contracts against the last released package when packing.
/// </summary>
public sealed class PublicApiTests
{
    private static readonly Assembly Contracts = typeof(ISource).Assembly;

    [Fact]
    public void The_public_api_is_the_approved_one() =>
        PublicApiApproval.AssertApproved(Contracts);

    [Fact]
    public void The_assembly_version_is_pinned_to_the_major_version()
    {
        var version = Contracts.GetName().Version!;

        Assert.True(version.Major >= 1, $"Courier.Abstractions {version}: versions start at 1.0 (MinVerMinimumMajorMinor).");
        Assert.Equal((0, 0, 0), (version.Minor, version.Build, version.Revision));
    }

    [Fact]
    public void The_contracts_depend_on_nothing_but_the_framework_and_extensions_abstractions()
    {
        var references = Contracts.GetReferencedAssemblies().Select(a => a.Name!).Where(n => !n.StartsWith("System", StringComparison.Ordinal));

        Assert.All(references, name => Assert.Matches(@"^Microsoft\.Extensions\.[A-Za-z]+\.Abstractions$", name));
    }
}
