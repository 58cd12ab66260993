using System.Diagnostics;
using System.Net;
using Courier.Testing;
using Xunit.Abstractions;

namespace Courier.Host.Tests.Background;

/// <summary>Web hooks for one repository coalesce: a storm of them costs a couple of deliveries, and the last commit arrives everywhere.</summary>
public sealed class HookStormTests(ITestOutputHelper output) : IAsyncLifetime
{
    private GitHookScenario _scenario = null!;

    public async Task InitializeAsync() => _scenario = await GitHookScenario.CreateAsync(targets: 3);

    public async Task DisposeAsync() => await _scenario.DisposeAsync();

    [Fact]
    public async Task Two_hundred_concurrent_hooks_for_a_burst_of_commits_end_with_the_last_commit_on_every_target_in_at_most_three_rsync_runs()
    {
        await _scenario.AddRepositoryAsync("storm");
        await using var host = await _scenario.Setup.StartHostAsync();
        var commits = new List<string>();
        for (var i = 1; i <= 4; i++)
        {
            commits.Add(await _scenario.PushAsync("storm", $"storm v{i}"));
        }

        var stopwatch = Stopwatch.StartNew();
        var refusals = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => _scenario.SendHookUntilAcceptedAsync(host, "storm", commits[i % commits.Count])));
        var answered = stopwatch.Elapsed;
        await GitHookScenario.WaitUntilAsync(() => Enumerable.Range(0, 3).All(t => _scenario.Delivered(t, "storm") == "storm v4"), "every target has the last commit");
        var delivered = stopwatch.Elapsed;
        await WaitUntilQuietAsync(host);
        var drained = stopwatch.Elapsed;

        var runs = _scenario.Watched.Select(target => target.RsyncRuns).ToList();
        output.WriteLine($"200 hooks answered in {answered.TotalMilliseconds:F0} ms ({refusals.Sum()} answers 503 first); last commit on every target after {delivered.TotalMilliseconds:F0} ms; queue drained (quiet for 1 s) after {drained.TotalMilliseconds:F0} ms; rsync runs per target: {string.Join(", ", runs)}");
        Assert.All(runs, count => Assert.InRange(count, 1, 3));
        Assert.All(Enumerable.Range(0, 3), t => Assert.Equal("storm v4", _scenario.Delivered(t, "storm")));

        // The console logger writes from a queue of its own: the queue's line may come after the updater's last one.
        await GitHookScenario.WaitUntilAsync(() => host.Logs.Contains("Background update", StringComparison.Ordinal), "the queue logged its background updates");
    }

    /// <summary>Waits until every update the host started has finished, twice in a row a second apart.</summary>
    private static async Task WaitUntilQuietAsync(CourierHostProcess host)
    {
        var quiet = 0;
        await GitHookScenario.WaitUntilAsync(
            () =>
            {
                var logs = host.Logs;
                var started = Count(logs, "Update started");
                quiet = started > 0 && started == Count(logs, "Update finished") ? quiet + 1 : 0;
                return quiet >= 10;
            },
            "the host finished every update");
    }

    private static int Count(string text, string what) => text.Split('\n').Count(line => line.Contains(what, StringComparison.Ordinal));
}
