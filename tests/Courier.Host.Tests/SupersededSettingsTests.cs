using Courier.Testing;

namespace Courier.Host.Tests;

/// <summary>
/// Settings an earlier release read and this one does not: the host still starts (an upgrade keeps running) and says at
/// start-up which setting now decides instead.
/// </summary>
public sealed class SupersededSettingsTests : IAsyncLifetime
{
    private HermesSetup _setup = null!;

    public async Task InitializeAsync() => _setup = await HermesSetup.CreateAsync();

    public async Task DisposeAsync() => await _setup.DisposeAsync();

    [Fact]
    public async Task The_old_parallel_limits_are_named_at_start_up_with_the_transfer_budget_that_replaces_them()
    {
        await using var host = await _setup.StartHostAsync(new Dictionary<string, string>
        {
            ["Courier:MaxParallelDestinations"] = "4",
            ["Courier:MaxParallelDeliveries"] = "2",
            ["Courier:MaxParallelTransfers"] = "12",
        });

        Assert.Equal("ok", await host.Client.GetStringAsync("/health"));
        // The console log is written asynchronously: the lines may come a moment after /health answers.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        string[] expected = [.. new[] { "Courier:MaxParallelDestinations", "Courier:MaxParallelDeliveries" }
            .Select(setting => $"{setting} is no longer read: Courier:MaxParallelTransfers (12) bounds every transfer")];
        while (!expected.All(line => host.Logs.Contains(line, StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.All(expected, line => Assert.Contains(line, host.Logs, StringComparison.Ordinal));
    }
}
