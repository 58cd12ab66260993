using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Courier.Testing;

namespace Courier.Faults.Tests;

/// <summary>
/// Faults only a shared ssh connection has: its control socket removed under it, and its master frozen in the middle
/// of a transfer. Both cost the transfer a retry at most, and the broken master is replaced.
/// </summary>
public sealed class SharedConnectionFaultTests : FaultSiteTests
{
    [Fact]
    public async Task A_control_socket_removed_under_a_running_master_costs_nothing_and_the_master_is_replaced()
    {
        Site.WriteDestinations(Site.SshDestination());
        await Site.StartHostAsync();
        var first = Assert.Single(await Site.UpdateAllAsync());
        Assert.True(first.GetProperty("succeeded").GetBoolean(), first.GetProperty("error").GetString());
        var master = Assert.Single(Site.SharedConnectionsTo(Site.Target.Port));
        var sockets = Directory.GetFiles(Site.Root.Combine("state", "ssh"));
        Assert.NotEmpty(sockets);
        foreach (var socket in sockets)
        {
            File.Delete(socket);
        }

        Site.Root.WriteFile("hermes/app/app.conf", "v2");
        var second = Assert.Single(await Site.UpdateAllAsync());

        Assert.True(second.GetProperty("succeeded").GetBoolean(), second.GetProperty("error").GetString());
        Assert.Equal("v2", File.ReadAllText(Path.Combine(Site.TargetDirectory, "app", "app.conf")));
        var replacement = Assert.Single(Site.SharedConnectionsTo(Site.Target.Port));
        Assert.NotEqual(master.Pid, replacement.Pid);
        Assert.False(Directory.Exists($"/proc/{master.Pid}"), "the master whose socket was removed still runs");
        await Site.AssertHostLeftNoProcessAsync();
    }

    [Fact]
    public async Task A_master_frozen_mid_transfer_is_ended_at_the_rsync_io_deadline_and_the_retry_delivers_every_file()
    {
        var source = Site.Root.Combine("hermes", "app");
        for (var i = 0; i < 3000; i++)
        {
            File.WriteAllBytes(Path.Combine(source, $"file{i}.conf"), RandomNumberGenerator.GetBytes(16 * 1024));
        }

        Site.WriteDestinations(Site.SshDestination());
        await Site.StartHostAsync();
        using var freezer = new CancellationTokenSource();
        var freezing = Task.Factory.StartNew(() => FreezeTheMasterOnceRsyncRuns(freezer.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        var delivery = Assert.Single(await Site.UpdateAllAsync());
        await freezer.CancelAsync();
        var frozen = await freezing;

        Assert.True(frozen > 0, "the transfer ended before its master could be frozen:\n" + Site.Host.Logs);
        Assert.True(delivery.GetProperty("succeeded").GetBoolean(), delivery.GetProperty("error").GetString());
        Assert.True(delivery.GetProperty("attempts").GetInt32() >= 2, $"attempts: {delivery.GetProperty("attempts")}");
        Assert.Equal(3001, Directory.GetFiles(Path.Combine(Site.TargetDirectory, "app")).Length);
        Assert.False(Directory.Exists($"/proc/{frozen}"), "the frozen master still exists");
        Assert.Contains("a run through it hung", Site.Host.Logs, StringComparison.Ordinal);
        await Site.AssertHostLeftNoProcessAsync();
    }

    /// <summary>Sends SIGSTOP to the host's master to the target once the target's rsync runs; returns its pid, or 0.</summary>
    private int FreezeTheMasterOnceRsyncRuns(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var receiving = ProcessProbe.Find("rsync --server").Any(line => line.Split(": ", 2)[1].StartsWith("rsync --server", StringComparison.Ordinal) && line.Contains(Site.TargetDirectory, StringComparison.Ordinal));
            if (receiving && Site.SharedConnectionsTo(Site.Target.Port) is [var master])
            {
                using var stop = Process.Start(new ProcessStartInfo("kill", ["-STOP", master.Pid.ToString(CultureInfo.InvariantCulture)]))!;
                stop.WaitForExit();
                return master.Pid;
            }

            Thread.Sleep(5);
        }

        return 0;
    }
}
