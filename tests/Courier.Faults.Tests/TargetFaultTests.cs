using System.Text.Json;
using Courier.Testing;
using Xunit.Abstractions;

namespace Courier.Faults.Tests;

/// <summary>Targets that hang, drop the connection or run out of disk: each costs its own delivery only.</summary>
public sealed class TargetFaultTests(ITestOutputHelper output) : IAsyncLifetime
{
    private FaultSite _site = null!;

    public async Task InitializeAsync() => _site = await FaultSite.CreateAsync();

    public async Task DisposeAsync() => await _site.DisposeAsync();

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
        _site.WriteDestinations(_site.SshDestination(silent), _site.SshDestination());
        await _site.StartHostAsync(reuseConnections: reuseConnections);

        var deliveries = await _site.UpdateAllAsync();

        var healthy = For(deliveries, _site.Target);
        Assert.True(healthy.GetProperty("succeeded").GetBoolean(), healthy.GetProperty("error").GetString());
        var hung = For(deliveries, silent);
        Assert.False(hung.GetProperty("succeeded").GetBoolean());
        Assert.Contains("no answer within Courier:Timeouts:RsyncIo (00:00:05)", hung.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, hung.GetProperty("attempts").GetInt32());
        output.WriteLine($"{command}, ReuseConnections={reuseConnections}: 2 attempts in {hung.GetProperty("duration")}");
        Assert.Equal("v1", File.ReadAllText(Path.Combine(_site.TargetDirectory, "app", "app.conf")));
        await _site.AssertHostLeftNoProcessAsync();
    }

    [Fact]
    public async Task A_target_whose_connection_drops_mid_transfer_is_retried_and_reported_with_its_attempts()
    {
        // The session reads a little of rsync's protocol and ends, as when the far side dies in the middle.
        await using var dropping = await SshServer.StartAsync(new SshServerOptions { ExtraConfigLines = ["ForceCommand head -c 64 >/dev/null"] });
        _site.WriteDestinations(_site.SshDestination(dropping), _site.SshDestination());
        await _site.StartHostAsync();

        var deliveries = await _site.UpdateAllAsync();

        var dropped = For(deliveries, dropping);
        Assert.False(dropped.GetProperty("succeeded").GetBoolean());
        Assert.Equal(2, dropped.GetProperty("attempts").GetInt32());
        Assert.Contains("after 2 attempts", dropped.GetProperty("error").GetString(), StringComparison.Ordinal);
        var healthy = For(deliveries, _site.Target);
        Assert.True(healthy.GetProperty("succeeded").GetBoolean(), healthy.GetProperty("error").GetString());
        await _site.AssertHostLeftNoProcessAsync();
    }

    [Fact]
    public async Task A_full_target_disk_fails_that_delivery_with_rsyncs_reason_and_the_next_update_succeeds_once_it_fits()
    {
        await using var disk = await TmpfsMount.MountAsync(sizeKilobytes: 512);
        var random = new byte[1024 * 1024];
        Random.Shared.NextBytes(random);
        File.WriteAllBytes(_site.Root.Combine("hermes", "app", "big.bin"), random);
        _site.WriteDestinations(_site.SshDestination(path: disk.Path));
        await _site.StartHostAsync();

        var full = Assert.Single(await _site.UpdateAllAsync());

        Assert.False(full.GetProperty("succeeded").GetBoolean());
        Assert.Contains("exit code", full.GetProperty("error").GetString(), StringComparison.Ordinal);
        File.Delete(_site.Root.Combine("hermes", "app", "big.bin"));
        var recovered = Assert.Single(await _site.UpdateAllAsync());
        Assert.True(recovered.GetProperty("succeeded").GetBoolean(), recovered.GetProperty("error").GetString());
        Assert.Equal("v1", File.ReadAllText(Path.Combine(disk.Path, "app", "app.conf")));
        await _site.AssertHostLeftNoProcessAsync();
    }
}
