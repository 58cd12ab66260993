using Courier.Destinations.ArmadaLocal;
using Courier.Testing.Approval;

namespace Courier.Destinations.ArmadaLocal.Tests;

/// <summary>
/// Courier.Destinations.ArmadaLocal's public API is its plugin class and its one entry point,
/// AddArmadaLocalDestination: any change shows up here, to be approved on purpose (copy PublicApi.received.txt over
/// PublicApi.approved.txt).
/// </summary>
public sealed class PublicApiTests
{
    [Fact]
    public void The_public_api_is_the_approved_one() =>
        PublicApiApproval.AssertApproved(typeof(ArmadaLocalPlugin).Assembly, "Microsoft.Extensions.DependencyInjection");
}
