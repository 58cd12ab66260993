namespace Courier.Security.Tests;

/// <summary>One secured site (namespaces, sshd, host) shared by the tests that only call it.</summary>
[CollectionDefinition(Name)]
public sealed class SecuredSiteCollection : ICollectionFixture<SecuredSite>
{
    public const string Name = "secured site";
}
