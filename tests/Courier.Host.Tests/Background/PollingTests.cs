namespace Courier.Host.Tests.Background;

/// <summary>A git source with <c>poll_interval</c>: an unchanged branch costs a check and no delivery; a moved one is delivered without any hook.</summary>
public sealed class PollingTests : IAsyncLifetime
{
    private GitHookScenario _scenario = null!;

    public async Task InitializeAsync() => _scenario = await GitHookScenario.CreateAsync();

    public async Task DisposeAsync() => await _scenario.DisposeAsync();

    [Fact]
    public async Task An_unchanged_head_delivers_nothing_and_a_moved_head_is_delivered_without_a_hook()
    {
        await _scenario.AddRepositoryAsync("polled", pollInterval: "1");
        await using var host = await _scenario.Setup.StartHostAsync(
            new Dictionary<string, string> { ["Logging:LogLevel:Courier.Host.Background.SourcePoller"] = "Debug" },
            updateAllOnStart: true);
        await GitHookScenario.WaitUntilAsync(() => _scenario.Delivered(0, "polled") == "polled v0", "the start-up delivery arrived");

        await GitHookScenario.WaitUntilAsync(() => Count(host.Logs, "is delivered already, nothing to do") >= 3, "three polls found the head unchanged");
        Assert.True(_scenario.Watched[0].RsyncRuns == 1, $"{_scenario.Watched[0].RsyncRuns} rsync runs reached the target:\n{host.Logs}");
        Assert.Equal(1, Count(host.Logs, "Update started"));

        await _scenario.PushAsync("polled", "polled v1");
        await GitHookScenario.WaitUntilAsync(() => _scenario.Delivered(0, "polled") == "polled v1", "the poll delivered the new commit");
        Assert.Equal(2, _scenario.Watched[0].RsyncRuns);

        // The console logger writes from a queue of its own: its line may come after the delivery it tells of.
        await GitHookScenario.WaitUntilAsync(() => host.Logs.Contains("update queued", StringComparison.Ordinal), "the poll logged the update it queued");
    }

    [Fact]
    public async Task The_host_default_polls_sources_without_their_own_interval()
    {
        await _scenario.AddRepositoryAsync("defaulted");
        await using var host = await _scenario.Setup.StartHostAsync(new Dictionary<string, string> { ["Courier:Git:PollInterval"] = "00:00:01" });

        // No start-up update, no hook: the first poll finds nothing delivered yet and delivers.
        await GitHookScenario.WaitUntilAsync(() => _scenario.Delivered(0, "defaulted") == "defaulted v0", "the poll delivered the branch");
        Assert.Contains("Poll of git:", host.Logs, StringComparison.Ordinal);
    }

    private static int Count(string text, string what) => text.Split('\n').Count(line => line.Contains(what, StringComparison.Ordinal));
}
