using System.Net;
using Courier.Core;
using Courier.Host.Security;
using Microsoft.Extensions.Options;

namespace Courier.Host.Tests.Security;

public sealed class AddressRangesTests
{
    private static readonly AddressRanges Defaults = AddressRanges.Parse(CourierApiOptions.DefaultAllowedNetworks, "Courier:Api:AllowedNetworks");

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("172.31.255.255", true)]
    [InlineData("172.32.0.1", false)]
    [InlineData("192.168.0.100", true)]
    [InlineData("169.254.1.1", true)]
    [InlineData("fd12:3456::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("::ffff:192.168.0.100", true)]
    [InlineData("::ffff:203.0.113.50", false)]
    [InlineData("203.0.113.50", false)]
    [InlineData("2001:db8::1", false)]
    [InlineData("::ffff:127.0.0.1", true)]
    public void The_defaults_allow_loopback_private_and_link_local_addresses_including_ipv4_mapped_ones(string address, bool allowed) =>
        Assert.Equal(allowed, Defaults.Contains(IPAddress.Parse(address)));

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("host.example.com")]
    [InlineData("10.0.0.0/")]
    [InlineData("")]
    public void A_malformed_entry_names_the_setting_and_the_entry(string entry)
    {
        var error = Assert.Throws<FormatException>(() => AddressRanges.Parse([entry], "Courier:Api:AllowedNetworks"));

        Assert.Contains("Courier:Api:AllowedNetworks", error.Message, StringComparison.Ordinal);
        Assert.Contains($"\"{entry}\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void None_allows_no_address_and_a_single_address_is_its_own_network()
    {
        Assert.False(AddressRanges.Parse(["none"], "x").Contains(IPAddress.Loopback));
        var single = AddressRanges.Parse(["198.51.100.7"], "x");
        Assert.True(single.Contains(IPAddress.Parse("198.51.100.7")));
        Assert.False(single.Contains(IPAddress.Parse("198.51.100.8")));
    }

    [Theory]
    [InlineData("/etc/opt", null)]
    [InlineData("/etc/opt/", null)]
    [InlineData("/etc/opt/app", null)]
    [InlineData("/tmp/hermes-directory", null)]
    [InlineData("/", "other than /")]
    [InlineData("/etc/opt/../..", "normalised")]
    [InlineData("/etc//opt", "normalised")]
    [InlineData("/etc/optx", "AllowedPaths")]
    [InlineData("/etc", "AllowedPaths")]
    [InlineData("etc/opt", "absolute")]
    public void Update_hermes_paths_must_be_normalised_and_under_an_allowed_path(string path, string? error)
    {
        var policy = new HermesTargetPolicy(Options.Create(new CourierHostOptions()));

        var message = policy.CheckPath(path);

        if (error is null)
        {
            Assert.Null(message);
        }
        else
        {
            Assert.Contains(error, message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_target_outside_the_allowed_targets_is_forbidden_and_a_name_is_replaced_by_its_checked_address()
    {
        var policy = new HermesTargetPolicy(Options.Create(new CourierHostOptions()));

        var outside = await policy.CheckAsync(HermesAddress.Parse("203.0.113.9:22", "/etc/opt"), CancellationToken.None);
        var byName = await policy.CheckAsync(HermesAddress.Parse("localhost:2222", "/etc/opt"), CancellationToken.None);

        Assert.Equal(HermesTargetRefusal.ForbiddenTarget, outside.Refusal);
        Assert.Contains("Courier:UpdateHermes:AllowedTargets", outside.Message, StringComparison.Ordinal);
        Assert.NotNull(byName.Address);
        Assert.Matches(@"^(127\.0\.0\.1|\[::1\]):2222$", byName.Address.Ssh);
    }
}
