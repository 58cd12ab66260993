using System.Text.Json;
using Courier.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Destinations.Remote.Tests;

public sealed class CourierRemoteConfigurationTests : IDisposable
{
    private readonly TempDirectory _temp = TempDirectory.Create("courier-remote-config");

    public void Dispose() => _temp.Dispose();

    private IDestination Create(string json)
    {
        var factory = new ServiceCollection()
            .AddCourier(o => o.StateDirectory = _temp.Combine("state"))
            .AddRemoteDestinations()
            .Services.BuildServiceProvider()
            .GetServices<IDestinationFactory>()
            .Single(f => f.Type == JsonDocument.Parse(json).RootElement.GetProperty("type").GetString());
        var file = _temp.WriteFile("config/destinations.json", $$"""{"remote": {{json}}}""");
        return factory.Create(new DestinationDefinition("remote", JsonDocument.Parse(json).RootElement.Clone(), file, new SshLogin("docker", null, true)));
    }

    [Theory]
    [InlineData("""{"type": "courier-remote"}""", "\"address\" is required")]
    [InlineData("""{"type": "courier-remote", "address": "host:http"}""", "port")]
    [InlineData("""{"type": "courier-remote", "address": "h:80", "ssh-tunnel": {"port": 22}}""", "needs \"host\"")]
    [InlineData("""{"type": "courier-remote", "address": "h:80", "ssh-tunnel": {"host": "gw", "port": "twenty-two"}}""", "\"port\" must be a port number")]
    [InlineData("""{"type": "courier-remote", "address": "h:80", "ssh-tunnel": "gw:22"}""", "\"ssh-tunnel\" must be an object")]
    [InlineData("""{"type": "ssh", "address": "h:22"}""", "\"path\" is required")]
    public void Bad_entries_are_configuration_errors_naming_the_alias(string json, string expected)
    {
        var error = Assert.Throws<CourierConfigurationException>(() => Create(json));

        Assert.Contains("destination \"remote\"", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"type": "courier-remote", "address": "10.0.0.5:8080"}""")]
    [InlineData("""{"type": "courier-remote", "address": "courier.sandbox.initech.com"}""")]
    [InlineData("""{"type": "courier-remote", "address": "http://courier.prod:8080/"}""")]
    [InlineData("""{"type": "courier-remote", "address": "10.0.0.5:8080", "ssh-tunnel": {"host": "gw.initech.com", "port": 2222, "user": "tunnel", "key": "keys/tunnel.key"}}""")]
    [InlineData("""{"type": "courier-remote", "address": "10.0.0.5:8080", "ssh-tunnel": {"host": "gw.initech.com", "port": "22"}}""")]
    public void The_readme_forms_are_accepted(string json) => Assert.Equal("courier-remote", Create(json).Type);

    [Theory]
    [InlineData("courier.sandbox.initech.com", "courier.sandbox.initech.com", 80)]
    [InlineData("10.0.0.5:8080", "10.0.0.5", 8080)]
    [InlineData("[::1]", "::1", 80)]
    [InlineData("[::1]:8080", "::1", 8080)]
    public void An_address_without_a_port_means_port_80(string address, string host, int port) =>
        Assert.Equal((host, port), CourierRemoteDestinationFactory.SplitHttpAddress(address));
}
