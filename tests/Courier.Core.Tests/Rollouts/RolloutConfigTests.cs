using Courier.Core.Rollouts;

namespace Courier.Core.Tests.Rollouts;

/// <summary>A source entry's <c>"rollout"</c>: what it means, and errors naming the field.</summary>
public sealed class RolloutConfigTests
{
    private static RolloutPlan? Read(string rollout) =>
        RolloutConfig.Read(new SourceDefinition(Json.Parse($$"""{"type": "git", "rollout": {{rollout}}}"""), "/etc/courier/sources/a.json", 0));

    [Fact]
    public void Waves_are_cumulative_counts_or_percents_rounded_up_and_the_defaults_allow_no_failure_and_no_pause()
    {
        var plan = Read("""{"waves": [1, "10%", "50%", "100%"]}""")!;

        Assert.Equal([1, 5, 10], plan.WaveEnds(10)); // 10% of 10 is the canary already: no empty wave
        Assert.Equal([1, 20, 100, 200], plan.WaveEnds(200));
        Assert.Equal([1], plan.WaveEnds(1));
        Assert.Equal(0, plan.MaxFailures.Of(200));
        Assert.Equal(TimeSpan.Zero, plan.Pause);
        Assert.Null(plan.Health);
        Assert.Null(Read("null"));
        Assert.Equal(20, Read("""{"waves": ["100%"], "max_failures": "10%"}""")!.MaxFailures.Of(200));
    }

    [Fact]
    public void A_health_gate_is_an_http_url_with_host_or_a_command_list()
    {
        var http = Read("""{"waves": ["100%"], "pause": 30, "health": {"http": "https://{host}:8443/health", "expect": 204, "timeout": "00:00:02", "attempts": 5}}""")!;
        Assert.Equal(new HealthGate("https://{host}:8443/health", 204, null, TimeSpan.FromSeconds(2), 5), http.Health);
        Assert.Equal(TimeSpan.FromSeconds(30), http.Pause);

        var command = Read("""{"waves": ["100%"], "health": {"command": ["systemctl", "is-active", "nginx"]}}""")!.Health!;
        Assert.Equal(["systemctl", "is-active", "nginx"], command.Command!);
        Assert.Equal((TimeSpan.FromSeconds(5), 3), (command.Timeout, command.Attempts));
    }

    [Theory]
    [InlineData("""{"waves": [1, "50%"]}""", "\"rollout\".\"waves\" must end at \"100%\"")]
    [InlineData("""{"waves": []}""", "\"rollout\".\"waves\" must be a list")]
    [InlineData("""{"waves": ["50%", "10%", "100%"]}""", "must not shrink")]
    [InlineData("""{"waves": [0, "100%"]}""", "\"rollout\".\"waves\" must be a whole number of targets (at least 1)")]
    [InlineData("""{"waves": ["100%"], "max_failures": "120%"}""", "\"rollout\".\"max_failures\": 120% is over 100%")]
    [InlineData("""{"waves": ["100%"], "pause": "soon"}""", "\"rollout\".\"pause\" must be seconds or a time span")]
    [InlineData("""{"waves": ["100%"], "health": {"http": "{host}:8080/health"}}""", "\"rollout\".\"health\".\"http\" must be an absolute http:// or https:// URL")]
    [InlineData("""{"waves": ["100%"], "health": {"command": "systemctl is-active nginx"}}""", "\"rollout\".\"health\".\"command\" must be a list of strings")]
    [InlineData("""{"waves": ["100%"], "health": {"http": "http://{host}/", "command": ["true"]}}""", "exactly one of")]
    [InlineData("""{"waves": ["100%"], "health": {"http": "http://{host}/", "expect": 99}}""", "\"rollout\".\"health\".\"expect\" must be an HTTP status")]
    [InlineData("\"all\"", "\"rollout\" must be an object")]
    public void A_wrong_value_is_an_error_naming_the_entry_and_the_field(string rollout, string expected)
    {
        var error = Assert.Throws<CourierConfigurationException>(() => Read(rollout));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("/etc/courier/sources/a.json entry #1", error.Message, StringComparison.Ordinal);
    }
}
