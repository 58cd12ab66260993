namespace Courier.Core.Tests;

public sealed class HermesAddressTests
{
    [Theory]
    [InlineData("192.168.0.100:32772", "192.168.0.100", 32772)]
    [InlineData("courier.sandbox.initech.com", "courier.sandbox.initech.com", 22)]
    [InlineData("[::1]:2222", "::1", 2222)]
    public void Endpoints_split_into_host_and_port(string endpoint, string host, int port)
    {
        Assert.Equal((host, port), HermesAddress.SplitEndpoint(endpoint));
    }

    [Theory]
    [InlineData("host:0")]
    [InlineData("host:70000")]
    [InlineData("host:22x")]
    [InlineData("-oProxyCommand=x:22")]
    [InlineData("user@host:22")]
    [InlineData(":22")]
    public void Malformed_endpoints_are_refused(string endpoint)
    {
        Assert.Throws<ArgumentException>(() => HermesAddress.SplitEndpoint(endpoint));
    }

    [Fact]
    public void A_hermes_address_needs_an_absolute_path()
    {
        Assert.Throws<ArgumentException>(() => HermesAddress.Parse("h:22", "etc/opt"));
        Assert.Equal("/etc/opt", HermesAddress.Parse("h:22", "/etc/opt").Path);
    }
}
