using System.Text.Json;
using Courier.Testing;
using Xunit.Abstractions;

namespace Courier.Faults.Tests;

/// <summary>Targets that hang, drop the connection or run out of disk: each costs its own delivery only.</summary>
public sealed class TargetFaultTests(ITestOutputHelper output) : FaultSiteTests
{
    private static JsonElement For(IReadOnlyList<JsonElement> deliveries, SshServer server) =>
        Assert.Single(deliveries, d => d.GetProperty("target").GetString()!.Contains(server.Endpoint, StringComparison.Ordinal));

    [Theory]
    [InlineData("sleep 600", true)]
    [InlineData("sleep 600", false)]
    [InlineData("cat >/dev/null", true)]
    public async Task A_target_that_logs_in_and_whose_command_never_answers_costs_the_rsync_io_deadline_and_the_other_target_is_served(string command, bool reuseConnections)
    {
        // sleep ignores its input, so the session outlives rsync; cat ends when the session's input closes.
        await using var silent = await SshServer.StartAsync(new SshServerOptions { ExtraConfigLines = [$"ForceCommand {command}"] });
        Site.WriteDestinations(Site.SshDestination(silent), Site.SshDestination());
        await Site.StartHostAsync(reuseConnections: reuseConnections);

        var deliveries = await Site.UpdateAllAsync();

        var healthy = For(deliveries, Site.Target);
        Assert.True(healthy.GetProperty("succeeded").GetBoolean(), healthy.GetProperty("error").GetString());
        var hung = For(deliveries, silent);
        Assert.False(hung.GetProperty("succeeded").GetBoolean());
        Assert.Contains("no answer within Courier:Timeouts:RsyncIo (00:00:05)", hung.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, hung.GetProperty("attempts").GetInt32());
        output.WriteLine($"{command}, ReuseConnections={reuseConnections}: 2 attempts in {hung.GetProperty("duration")}");
        Assert.Equal("v1", File.ReadAllText(Path.Combine(Site.TargetDirectory, "app", "app.conf")));
        await Site.AssertHostLeftNoProcessAsync();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_update_deadline_ends_a_delivery_to_a_target_whose_command_hangs_and_kills_what_it_started(bool reuseConnections)
    {
        await using var silent = await SshServer.StartAsync(new SshServerOptions { ExtraConfigLines = ["ForceCommand sleep 600"] });
        Site.WriteDestinations(Site.SshDestination(silent));
        await Site.StartHostAsync(new Dictionary<string, string> { ["Courier:Timeouts:RsyncIo"] = "00:05:00", ["Courier:Timeouts:Update"] = "00:00:06" }, reuseConnections);

        var answered = System.Diagnostics.Stopwatch.StartNew();
        var report = await Site.UpdateAllReportAsync();

        var source = Assert.Single(report.GetProperty("sources").EnumerateArray());
        Assert.Contains("did not finish within Courier:Timeouts:Update (00:00:06)", source.GetProperty("error").GetString(), StringComparison.Ordinal);
        output.WriteLine($"ReuseConnections={reuseConnections}: /update_all answered in {answered.Elapsed.TotalSeconds:0.0} s");
        await Site.AssertHostLeftNoProcessAsync();
    }

    [Fact]
    public async Task A_target_whose_connection_drops_mid_transfer_is_retried_and_reported_with_its_attempts()
    {
        // The session reads a little of rsync's protocol and ends, as when the far side dies in the middle.
        await using var dropping = await SshServer.StartAsync(new SshServerOptions { ExtraConfigLines = ["ForceCommand head -c 64 >/dev/null"] });
        Site.WriteDestinations(Site.SshDestination(dropping), Site.SshDestination());
        await Site.StartHostAsync();

        var deliveries = await Site.UpdateAllAsync();

        var dropped = For(deliveries, dropping);
        Assert.False(dropped.GetProperty("succeeded").GetBoolean());
        Assert.Equal(2, dropped.GetProperty("attempts").GetInt32());
        Assert.Contains("after 2 attempts", dropped.GetProperty("error").GetString(), StringComparison.Ordinal);
        var healthy = For(deliveries, Site.Target);
        Assert.True(healthy.GetProperty("succeeded").GetBoolean(), healthy.GetProperty("error").GetString());
        await Site.AssertHostLeftNoProcessAsync();
    }

    [Fact]
    public async Task A_full_target_disk_fails_that_delivery_with_rsyncs_reason_and_the_next_update_succeeds_once_it_fits()
    {
        await using var disk = await TmpfsMount.MountAsync(sizeKilobytes: 512);
        var random = new byte[1024 * 1024];
        Random.Shared.NextBytes(random);
        File.WriteAllBytes(Site.Root.Combine("hermes", "app", "big.bin"), random);
        Site.WriteDestinations(Site.SshDestination(path: disk.Path));
        await Site.StartHostAsync();

        var full = Assert.Single(await Site.UpdateAllAsync());

        Assert.False(full.GetProperty("succeeded").GetBoolean());
        Assert.Contains("exit code", full.GetProperty("error").GetString(), StringComparison.Ordinal);
        File.Delete(Site.Root.Combine("hermes", "app", "big.bin"));
        var recovered = Assert.Single(await Site.UpdateAllAsync());
        Assert.True(recovered.GetProperty("succeeded").GetBoolean(), recovered.GetProperty("error").GetString());
        Assert.Equal("v1", File.ReadAllText(Path.Combine(disk.Path, "app", "app.conf")));
        await Site.AssertHostLeftNoProcessAsync();
    }
}
