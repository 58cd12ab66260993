using Courier.Testing;
using Courier.Testing.Approval;

namespace Courier.Core.Tests;

/// <summary>
/// Courier.Testing is a package too (the conformance kit and fixtures plugin authors test with): any change of its
/// public API shows up here, to be approved on purpose (copy PublicApi.Courier.Testing.received.txt over
/// PublicApi.Courier.Testing.approved.txt). It is approved from this project because Courier.Testing is a library,
/// not a test project.
/// </summary>
public sealed class TestingPublicApiTests
{
    [Fact]
    public void The_public_api_is_the_approved_one() =>
        PublicApiApproval.AssertApprovedAs("PublicApi.Courier.Testing", typeof(TempDirectory).Assembly);
}
