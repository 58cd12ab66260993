namespace Courier.Host.Tests.Security;

/// <summary>The host's own settings (API access, web hooks, /update_hermes, the queue) are checked at start-up, each failure naming its setting.</summary>
public sealed class HostOptionsValidationTests
{
    private static IReadOnlyList<string> Failures(Action<CourierHostOptions> change)
    {
        var options = new CourierHostOptions();
        change(options);
        return new Courier.Host.Security.HostOptionsValidator().Validate(null, options).Failures?.ToList() ?? [];
    }

    [Fact]
    public void The_defaults_are_valid() => Assert.Empty(Failures(_ => { }));

    [Fact]
    public void A_queue_capacity_below_one_is_refused() =>
        Assert.Contains("Courier:QueueCapacity must be from 1 to 100000, got 0.", Failures(o => o.QueueCapacity = 0));

    [Fact]
    public void A_network_that_is_not_one_is_refused_naming_the_setting() =>
        Assert.Contains(Failures(o => o.Api.AllowedNetworks = ["10.0.0.0/33"]), f => f.Contains("Courier:Api:AllowedNetworks", StringComparison.Ordinal));

    [Fact]
    public void A_short_api_token_is_refused_without_the_token_in_the_message()
    {
        var failures = Failures(o => o.Api.Tokens["deploy"] = "short-secret");
        Assert.Contains("Courier:Api:Tokens:deploy must be at least 16 characters.", failures);
        Assert.DoesNotContain(failures, f => f.Contains("short-secret", StringComparison.Ordinal));
    }

    [Fact]
    public void A_web_hook_body_limit_outside_its_range_is_refused() =>
        Assert.Contains("Courier:WebHooks:MaxBodyBytes must be from 1024 to 104857600, got 10.", Failures(o => o.WebHooks.MaxBodyBytes = 10));
}
