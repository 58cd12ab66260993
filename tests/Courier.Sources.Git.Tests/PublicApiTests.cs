using Courier.Sources.Git;
using Courier.Testing.Approval;

namespace Courier.Sources.Git.Tests;

/// <summary>
/// Courier.Sources.Git's public API is its plugin class and its one entry point, AddGitSource: any change shows up
/// here, to be approved on purpose (copy PublicApi.received.txt over PublicApi.approved.txt).
/// </summary>
public sealed class PublicApiTests
{
    [Fact]
    public void The_public_api_is_the_approved_one() =>
        PublicApiApproval.AssertApproved(typeof(GitSourcePlugin).Assembly, "Microsoft.Extensions.DependencyInjection");
}
