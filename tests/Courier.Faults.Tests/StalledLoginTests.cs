using System.Globalization;
using System.Text.Json;
using Courier.Testing;
using Xunit.Abstractions;

namespace Courier.Faults.Tests;

/// <summary>
/// Targets that accept the TCP connection and then never let a login through: one says nothing, one sends its banner
/// and stalls. Each attempt costs one connect budget, with ssh connections shared (the default) and not.
/// </summary>
public sealed class StalledLoginTests(ITestOutputHelper output) : FaultSiteTests
{
    // Long enough that a loaded machine's process start-up (seen: 2 s per attempt) stays within the margin below.
    private const int ConnectTimeoutSeconds = 6;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_target_that_accepts_and_never_speaks_costs_one_connect_timeout_per_attempt(bool reuseConnections)
    {
        await using var dead = StallingSshServer.Start(sendBanner: false);

        var delivery = await DeliverToAsync(dead, reuseConnections);

        Assert.Contains($"within Courier:Ssh:ConnectTimeoutSeconds ({ConnectTimeoutSeconds} s)", delivery.GetProperty("error").GetString(), StringComparison.Ordinal);
        var attempts = delivery.GetProperty("attempts").GetInt32();
        Assert.Equal(2, attempts);

        // One connect timeout per attempt (about 12 s), not one for the shared connection and one more for a connection
        // of its own in any attempt (at least 18 s; 24 s when in both); the margin is for a loaded machine.
        var duration = TimeSpan.Parse(delivery.GetProperty("duration").GetString()!, CultureInfo.InvariantCulture);
        Assert.True(duration < TimeSpan.FromSeconds(1.5 * attempts * ConnectTimeoutSeconds), $"{attempts} attempts took {duration}");
        Assert.True(duration >= TimeSpan.FromSeconds(attempts * ConnectTimeoutSeconds * 0.9), $"the duration is of all {attempts} attempts: {duration}");
        await Site.AssertHostLeftNoProcessAsync();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_target_that_sends_its_banner_and_stalls_the_login_fails_at_a_deadline_that_names_itself(bool reuseConnections)
    {
        await using var stalling = StallingSshServer.Start(sendBanner: true);

        var delivery = await DeliverToAsync(stalling, reuseConnections);

        // ssh's ConnectTimeout ends at the banner. Shared, the connection's login deadline ends the stall; on its own,
        // rsync's I/O timeout does.
        var expected = reuseConnections
            ? $"did not log in within twice Courier:Ssh:ConnectTimeoutSeconds ({2 * ConnectTimeoutSeconds} s)"
            : "no answer within Courier:Timeouts:RsyncIo (00:00:05)";
        Assert.Contains(expected, delivery.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, delivery.GetProperty("attempts").GetInt32());
        Assert.Empty(Site.SharedConnectionsTo(stalling.Port));
        await Site.AssertHostLeftNoProcessAsync();
    }

    /// <summary>Delivers to the stalling peer and to the site's healthy target; the healthy one is served, the other's delivery returned.</summary>
    private async Task<JsonElement> DeliverToAsync(StallingSshServer peer, bool reuseConnections)
    {
        Site.WriteDestinations(Site.SshDestinationAt(peer.Endpoint), Site.SshDestination());
        await Site.StartHostAsync(new Dictionary<string, string> { ["Courier:Ssh:ConnectTimeoutSeconds"] = ConnectTimeoutSeconds.ToString(CultureInfo.InvariantCulture) }, reuseConnections);

        var deliveries = await Site.UpdateAllAsync();

        var healthy = Assert.Single(deliveries, d => d.GetProperty("target").GetString()!.Contains(Site.Target.Endpoint, StringComparison.Ordinal));
        Assert.True(healthy.GetProperty("succeeded").GetBoolean(), healthy.GetProperty("error").GetString());
        var stalled = Assert.Single(deliveries, d => d.GetProperty("target").GetString()!.Contains(peer.Endpoint, StringComparison.Ordinal));
        Assert.False(stalled.GetProperty("succeeded").GetBoolean());
        output.WriteLine($"ReuseConnections={reuseConnections}: {stalled.GetProperty("attempts")} attempts in {stalled.GetProperty("duration")}: {stalled.GetProperty("error")}");
        return stalled;
    }
}
