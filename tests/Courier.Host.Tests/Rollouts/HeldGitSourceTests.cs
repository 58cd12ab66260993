using System.Net;
using System.Text.Json;
using Courier.Host.Tests.Background;
using Courier.Host.Tests.Visibility;

namespace Courier.Host.Tests.Rollouts;

/// <summary>A held git source: GitLab push hooks and polls still pull the new commit and report it held, and no rsync reaches the target until its release.</summary>
public sealed class HeldGitSourceTests : IAsyncLifetime
{
    private GitHookScenario _scenario = null!;

    public async Task InitializeAsync() => _scenario = await GitHookScenario.CreateAsync();

    public async Task DisposeAsync() => await _scenario.DisposeAsync();

    [Fact]
    public async Task Hooks_and_polls_of_a_held_git_source_pull_and_report_the_new_commit_and_deliver_nothing_until_its_release()
    {
        await _scenario.AddRepositoryAsync("held", pollInterval: "1");
        await using var host = await _scenario.Setup.StartHostAsync(updateAllOnStart: true);
        await GitHookScenario.WaitUntilAsync(() => _scenario.Delivered(0, "held") == "held v0", "the start-up delivery arrived");
        // A git source without destination_path is named by its id (the report is kept just after the files arrive).
        var id = await SourceIdAsync(host);
        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync("/hold", $$"""{"source": "{{id}}", "reason": "freeze"}""")).Status);

        var commit = await _scenario.PushAsync("held", "held v1");
        Assert.Equal(HttpStatusCode.Accepted, (await _scenario.SendHookAsync(host, "held", commit)).Status);
        // One hook was sent: the others are polls.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (await HeldReports(host, commit) < 3)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the hook and two polls did not report {commit} held:\n{host.Logs}");
            await Task.Delay(200);
        }

        Assert.Equal("held v0", _scenario.Delivered(0, "held"));
        Assert.Equal(1, _scenario.Watched[0].RsyncRuns);

        var (status, body) = await host.PostAsync("/release", $$"""{"source": "{{id}}"}""");

        Assert.Equal((HttpStatusCode.OK, "ok"), (status, body));
        Assert.Equal("held v1", _scenario.Delivered(0, "held"));

        // A poll queued just before the release may run after it and rsync again, changing nothing.
        Assert.InRange(_scenario.Watched[0].RsyncRuns, 2, 3);
    }

    private static async Task<string> SourceIdAsync(Courier.Testing.CourierHostProcess host)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var sources = (await DeliveryScenario.GetJsonAsync(host, "/status")).GetProperty("sources");
            if (sources.GetArrayLength() == 1)
            {
                return sources[0].GetProperty("source").GetString()!;
            }

            Assert.True(DateTime.UtcNow < deadline, "the start-up report never reached /status");
            await Task.Delay(100);
        }
    }

    /// <summary>How many reports in the history pulled <paramref name="commit"/> and held it.</summary>
    private static async Task<int> HeldReports(Courier.Testing.CourierHostProcess host, string commit)
    {
        var page = await DeliveryScenario.GetJsonAsync(host, "/reports?limit=500");
        return page.GetProperty("reports").EnumerateArray()
            .SelectMany(report => report.GetProperty("sources").EnumerateArray())
            .Count(source => source.GetProperty("revision").GetString() == commit && source.GetProperty("held").ValueKind == JsonValueKind.Object);
    }
}
