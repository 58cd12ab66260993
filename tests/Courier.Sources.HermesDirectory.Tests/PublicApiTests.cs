using Courier.Sources.HermesDirectory;
using Courier.Testing.Approval;

namespace Courier.Sources.HermesDirectory.Tests;

/// <summary>
/// Courier.Sources.HermesDirectory's public API is its plugin class and its one entry point, AddHermesDirectorySource:
/// any change shows up here, to be approved on purpose (copy PublicApi.received.txt over PublicApi.approved.txt).
/// </summary>
public sealed class PublicApiTests
{
    [Fact]
    public void The_public_api_is_the_approved_one() =>
        PublicApiApproval.AssertApproved(typeof(HermesDirectorySourcePlugin).Assembly, "Microsoft.Extensions.DependencyInjection");
}
