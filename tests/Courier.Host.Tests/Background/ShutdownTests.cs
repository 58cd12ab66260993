using System.Globalization;
using Courier.Testing;
using CliWrap;

namespace Courier.Host.Tests.Background;

/// <summary>SIGTERM: running deliveries get the grace period, then are cancelled, and no process the host started is left.</summary>
public sealed class ShutdownTests : IAsyncLifetime
{
    private GitHookScenario _scenario = null!;

    public async Task InitializeAsync()
    {
        _scenario = await GitHookScenario.CreateAsync();
        await _scenario.AddRepositoryAsync("slow");
    }

    public async Task DisposeAsync() => await _scenario.DisposeAsync();

    [Fact]
    public async Task A_delivery_still_hung_when_the_grace_period_ends_is_cancelled_and_leaves_no_rsync_or_ssh()
    {
        var target = _scenario.Watched[0];
        target.CloseGate();
        await using var host = await _scenario.Setup.StartHostAsync(new Dictionary<string, string> { ["Courier:ShutdownGracePeriod"] = "00:00:02" }, updateAllOnStart: true);
        await GitHookScenario.WaitUntilAsync(() => target.RsyncRuns == 1, "the start-up delivery reached the target");
        var targetDirectory = _scenario.Setup.Root.Combine("target-0");
        Assert.NotEmpty(ProcessProbe.Find(targetDirectory));

        await TerminateAsync(host);

        await GitHookScenario.WaitUntilAsync(() => host.HasExited, "the host exited after SIGTERM");
        Assert.Contains("the grace period of 2 s is over; cancelling the running updates", host.Logs, StringComparison.Ordinal);
        var left = await ProcessProbe.WaitUntilGoneAsync(targetDirectory);
        Assert.True(left.Count == 0, $"left running: {string.Join('\n', left)}\n{host.Logs}");
    }

    [Fact]
    public async Task A_delivery_that_ends_within_the_grace_period_completes_before_the_host_exits()
    {
        var target = _scenario.Watched[0];
        target.CloseGate();
        await using var host = await _scenario.Setup.StartHostAsync(new Dictionary<string, string> { ["Courier:ShutdownGracePeriod"] = "00:01:00" }, updateAllOnStart: true);
        await GitHookScenario.WaitUntilAsync(() => target.RsyncRuns == 1, "the start-up delivery reached the target");

        await TerminateAsync(host);
        await GitHookScenario.WaitUntilAsync(() => host.Logs.Contains("Stopping: 1 background updates running or waiting", StringComparison.Ordinal), "the host began to stop");
        Assert.False(host.HasExited);
        target.OpenGate();

        await GitHookScenario.WaitUntilAsync(() => host.HasExited, "the host exited once the delivery ended");
        Assert.Equal("slow v0", _scenario.Delivered(0, "slow"));
        Assert.Contains("Background update (start-up) finished, succeeded True", host.Logs, StringComparison.Ordinal);
        Assert.Empty(await ProcessProbe.WaitUntilGoneAsync(_scenario.Setup.Root.Combine("target-0")));
    }

    /// <summary>Sends SIGTERM, as a service manager or <c>docker stop</c> does, to the host's own process.</summary>
    private static async Task TerminateAsync(CourierHostProcess host)
    {
        var process = Assert.Single(ProcessProbe.Find($"--urls http://{host.Address}"), line => line.Contains("Courier.Host.dll", StringComparison.Ordinal));
        var pid = int.Parse(process[..process.IndexOf(':', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
        await Cli.Wrap("kill").WithArguments(["-TERM", pid.ToString(CultureInfo.InvariantCulture)]).ExecuteAsync();
    }
}
