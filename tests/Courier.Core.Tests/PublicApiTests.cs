using Courier.Core;
using Courier.Testing.Approval;

namespace Courier.Core.Tests;

/// <summary>
/// Courier.Core's public API (with nullability and static members) is what embedding apps build against: any change
/// shows up here, to be approved on purpose (copy PublicApi.received.txt over PublicApi.approved.txt).
/// </summary>
public sealed class PublicApiTests
{
    [Fact]
    public void The_public_api_is_the_approved_one() =>
        PublicApiApproval.AssertApproved(typeof(CourierOptions).Assembly, "Microsoft.Extensions.DependencyInjection");
}
