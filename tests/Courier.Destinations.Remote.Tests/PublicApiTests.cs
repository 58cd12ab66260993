using Courier.Destinations.Remote;
using Courier.Testing.Approval;

namespace Courier.Destinations.Remote.Tests;

/// <summary>
/// Courier.Destinations.Remote's public API is its plugin class and its entry points, AddRemoteDestinations (both
/// destinations), AddCourierRemoteDestination and AddSshDestination: any change shows up here, to be approved on
/// purpose (copy PublicApi.received.txt over PublicApi.approved.txt).
/// </summary>
public sealed class PublicApiTests
{
    [Fact]
    public void The_public_api_is_the_approved_one() =>
        PublicApiApproval.AssertApproved(typeof(RemoteDestinationsPlugin).Assembly, "Microsoft.Extensions.DependencyInjection");
}
