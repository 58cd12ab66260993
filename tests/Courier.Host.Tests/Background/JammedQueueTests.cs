using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Courier.Host.Tests.Background;

/// <summary>A jammed queue refuses with 503 and Retry-After, and loses nothing it accepted.</summary>
public sealed class JammedQueueTests : IAsyncLifetime
{
    private GitHookScenario _scenario = null!;

    public async Task InitializeAsync() => _scenario = await GitHookScenario.CreateAsync();

    public async Task DisposeAsync() => await _scenario.DisposeAsync();

    [Fact]
    public async Task A_full_queue_answers_503_with_retry_after_and_every_accepted_hook_is_delivered_once_the_target_answers()
    {
        var first = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in new[] { "alpha", "beta", "gamma" })
        {
            await _scenario.AddRepositoryAsync(name);
            first[name] = await _scenario.PushAsync(name, $"{name} v1");
        }

        var target = _scenario.Watched[0];
        target.CloseGate();
        await using var host = await _scenario.Setup.StartHostAsync(new Dictionary<string, string> { ["Courier:QueueCapacity"] = "3" });

        // Two deliveries held by the target, a third update of alpha waiting: the queue is full.
        Assert.Equal(HttpStatusCode.Accepted, (await _scenario.SendHookAsync(host, "alpha", first["alpha"])).Status);
        await GitHookScenario.WaitUntilAsync(() => target.RsyncRuns == 1, "alpha's delivery reached the target");
        Assert.Equal(HttpStatusCode.Accepted, (await _scenario.SendHookAsync(host, "beta", first["beta"])).Status);
        await GitHookScenario.WaitUntilAsync(() => target.RsyncRuns == 2, "beta's delivery reached the target");
        var alpha2 = await _scenario.PushAsync("alpha", "alpha v2");
        for (var i = 0; i < 20; i++)
        {
            // The first waits; the others fold into it, so they are accepted although the queue is full.
            Assert.Equal(HttpStatusCode.Accepted, (await _scenario.SendHookAsync(host, "alpha", alpha2)).Status);
        }

        var refused = await _scenario.SendHookAsync(host, "gamma", first["gamma"]);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.Status);
        Assert.NotNull(refused.RetryAfter);
        Assert.Null(_scenario.Delivered(0, "gamma"));

        var retrying = _scenario.SendHookUntilAcceptedAsync(host, "gamma", first["gamma"]);
        target.OpenGate();
        await retrying;

        await GitHookScenario.WaitUntilAsync(
            () => _scenario.Delivered(0, "alpha") == "alpha v2" && _scenario.Delivered(0, "beta") == "beta v1" && _scenario.Delivered(0, "gamma") == "gamma v1",
            "every accepted hook was delivered");
        Assert.Contains("refused: 3 updates are running or waiting", host.Logs, StringComparison.Ordinal);

        // The 19 hooks that joined the waiting update are counted as folded.
        var scrape = await host.Client.GetStringAsync("/metrics");
        var folded = Regex.Match(scrape, @"^courier_triggers_coalesced_total(?:\{[^}]*\})? (\d+)", RegexOptions.Multiline);
        Assert.True(folded.Success, "courier_triggers_coalesced_total is missing from /metrics");
        Assert.True(long.Parse(folded.Groups[1].Value, CultureInfo.InvariantCulture) >= 19, $"folded hooks counted: {folded.Groups[1].Value}");
    }
}
