using Courier.Core.Configuration;
using Courier.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Core.Tests.Configuration;

/// <summary>A destination entry's <c>"publish"</c>, <c>"keep_releases"</c> and <c>"verify"</c>: defaults, and errors that name the field and spoil their own alias only.</summary>
public sealed class PublishConfigTests : IDisposable
{
    private readonly TempDirectory _config = TempDirectory.Create("courier-publish-config");

    public void Dispose() => _config.Dispose();

    private static PublishOptions Read(string json) =>
        PublishConfig.Read(new DestinationDefinition("x", Json.Parse(json), "/etc/courier/destinations.json", new SshLogin("docker", "/k", true)));

    [Fact]
    public void Without_publish_a_destination_is_in_place_as_the_original_and_atomic_defaults_to_three_releases_compared_by_revision()
    {
        Assert.Equal(PublishOptions.InPlace, Read("""{"type": "ssh"}"""));
        Assert.Equal(PublishOptions.InPlace, Read("""{"type": "ssh", "publish": "in-place"}"""));
        Assert.Equal(new PublishOptions { Mode = PublishMode.Atomic, KeepReleases = 3, Verify = VerifyMode.Revision }, Read("""{"type": "ssh", "publish": "atomic"}"""));
        Assert.Equal(new PublishOptions { Mode = PublishMode.Atomic, KeepReleases = 5, Verify = VerifyMode.Content }, Read("""{"type": "ssh", "publish": "atomic", "keep_releases": 5, "verify": "content"}"""));
    }

    [Theory]
    [InlineData("""{"type": "ssh", "publish": "swap"}""", "\"publish\" must be \"in-place\" or \"atomic\"")]
    [InlineData("""{"type": "ssh", "publish": "atomic", "keep_releases": 0}""", "\"keep_releases\" must be a whole number from 1 to 100")]
    [InlineData("""{"type": "ssh", "publish": "atomic", "keep_releases": "3"}""", "\"keep_releases\" must be a whole number")]
    [InlineData("""{"type": "ssh", "publish": "atomic", "verify": "checksum"}""", "\"verify\" must be \"revision\" or \"content\"")]
    [InlineData("""{"type": "ssh", "keep_releases": 2}""", "\"keep_releases\" needs \"publish\": \"atomic\"")]
    [InlineData("""{"type": "ssh", "verify": "revision"}""", "\"verify\": \"revision\" needs \"publish\": \"atomic\"")]
    public void A_wrong_value_is_an_error_naming_the_entry_and_the_field(string json, string expected)
    {
        var error = Assert.Throws<CourierConfigurationException>(() => Read(json));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("destination \"x\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_loader_keeps_each_destination_s_publishing_and_a_bad_one_spoils_only_its_alias()
    {
        _config.WriteFile("destinations.json", """
            {
              "atomic": {"type": "recording", "name": "a", "publish": "atomic", "keep_releases": 2},
              "plain": {"type": "recording", "name": "p"},
              "bad": {"type": "recording", "name": "b", "publish": "sometimes"}
            }
            """);
        using var services = new ServiceCollection()
            .AddCourier(o =>
            {
                o.ConfigPath = _config.Path;
                o.StateDirectory = _config.Combine("state");
            })
            .AddDestinationFactory<RecordingDestinationFactory>()
            .Services.BuildServiceProvider();

        var loaded = services.GetRequiredService<HermesConfigurationLoader>().LoadDestinations();

        Assert.Equal(new PublishOptions { Mode = PublishMode.Atomic, KeepReleases = 2, Verify = VerifyMode.Revision }, loaded.PublishingOf(loaded.Destinations["atomic"][0]));
        Assert.Equal(PublishOptions.InPlace, loaded.PublishingOf(loaded.Destinations["plain"][0]));
        Assert.Contains("\"publish\" must be", loaded.Errors["bad"], StringComparison.Ordinal);
        Assert.False(loaded.Destinations.ContainsKey("bad"));
    }
}
