namespace Courier.Core.Tests.Updates;

/// <summary>The fan-out, shutdown and polling settings are checked at start-up with a message naming the setting.</summary>
public sealed class EngineSettingsValidationTests
{
    private static IReadOnlyList<string> Failures(Action<CourierOptions> change)
    {
        var options = new CourierOptions();
        change(options);
        return new CourierOptionsValidator().Validate(null, options).Failures?.ToList() ?? [];
    }

    [Fact]
    public void The_defaults_are_valid_and_polling_is_off()
    {
        Assert.Empty(Failures(_ => { }));
        Assert.Null(new CourierOptions().Git.PollInterval);
        Assert.Equal(TimeSpan.FromSeconds(30), new CourierOptions().ShutdownGracePeriod);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1025)]
    public void A_transfer_budget_outside_one_to_1024_is_refused(int limit) =>
        Assert.Contains($"Courier:MaxParallelTransfers must be from 1 to 1024, got {limit}.", Failures(o => o.MaxParallelTransfers = limit));

    [Fact]
    public void A_negative_grace_period_is_refused() =>
        Assert.Contains(Failures(o => o.ShutdownGracePeriod = TimeSpan.FromSeconds(-1)), f => f.StartsWith("Courier:ShutdownGracePeriod must be", StringComparison.Ordinal));

    [Theory]
    [InlineData(0.5)]
    [InlineData(172800)]
    public void A_poll_interval_default_outside_one_second_to_one_day_is_refused(double seconds) =>
        Assert.Contains(Failures(o => o.Git.PollInterval = TimeSpan.FromSeconds(seconds)), f => f.StartsWith("Courier:Git:PollInterval must be from 00:00:01 to 1.00:00:00", StringComparison.Ordinal));
}
