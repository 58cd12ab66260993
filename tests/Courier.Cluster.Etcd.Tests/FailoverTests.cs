using System.Diagnostics;
using System.Globalization;
using Courier.Testing;
using Xunit.Abstractions;

namespace Courier.Cluster.Etcd.Tests;

/// <summary>
/// Real Courier hosts on one etcd and a real sshd target, with a lease of 3 s. A host killed with SIGKILL in the middle
/// of an update: another host runs it again, to the same end state. A host frozen with SIGSTOP in the middle of a
/// delivery, while another host delivers a newer revision: when it runs on, the target keeps the newer revision. Its
/// rsync (a child process, not frozen) has finished by then; whichever it meets first ends the stale run: its lease
/// found lost, or its switch refused by the target's fence (each tested on its own in SourceGateTests and FencingTests).
/// </summary>
[Collection(SharedEtcd.Name)]
public sealed class FailoverTests(EtcdCluster etcd, ITestOutputHelper output)
{
    private readonly string _cluster = $"failover-{Guid.NewGuid():N}"[..16];

    [Fact]
    public async Task An_update_whose_host_is_killed_mid_run_is_run_again_by_another_host()
    {
        using var scripts = TempDirectory.Create("courier-failover");
        var log = scripts.Combine("runs.log");
        var slowOnce = scripts.WriteFile("slow-once", string.Empty);

        // The first run's validation takes long enough to kill its host in it; every later one is quick.
        var check = scripts.WriteFile("check.sh", $$"""
            #!/bin/sh
            echo "run $$" >> '{{log}}'
            if [ -f '{{slowOnce}}' ]; then rm -f '{{slowOnce}}'; echo "slow $$" >> '{{log}}'; exec sleep 20; fi
            """);
        File.SetUnixFileMode(check, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await using var site = await ClusterSite.CreateAsync(validate: [check]);
        await using var a = await site.StartHostAsync("a", _cluster, etcd.Endpoints);
        await using var b = await site.StartHostAsync("b", _cluster, etcd.Endpoints);

        var answered = a.PostAsync("/update_all");
        await Eventually.TrueAsync(() => File.Exists(log) && File.ReadAllText(log).Contains("slow", StringComparison.Ordinal), "the first run is in its validation", TimeSpan.FromSeconds(30));
        Assert.Null(site.Delivered);
        var killed = Stopwatch.StartNew();
        Process.GetProcessById(a.ProcessId).Kill();
        KillValidation(log);
        await Assert.ThrowsAnyAsync<Exception>(() => answered);

        await Eventually.TrueAsync(() => site.Delivered is not null, "host b delivered the killed host's update", TimeSpan.FromSeconds(3 + 15));

        output.WriteLine($"run again and delivered by the other host {killed.Elapsed.TotalSeconds:F1} s after the kill (lease TTL 3 s)");
        Assert.Equal("{\"version\": 1}", site.Delivered);
        Assert.Contains("has a run no member finished", b.Logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_frozen_mid_delivery_past_its_lease_does_not_switch_the_target_back_when_it_runs_on()
    {
        using var scripts = TempDirectory.Create("courier-fence");
        var log = scripts.Combine("rsync.log");
        var stallOnce = scripts.WriteFile("stall-once", string.Empty);

        // The first rsync on the target waits before it starts, so its host can be frozen while it runs.
        await using var site = await ClusterSite.CreateAsync(atomic: true, server: root => SshServerOptions.RunningFirst(root, $$"""
            case "$SSH_ORIGINAL_COMMAND" in
              *"rsync --server"*) if [ -f '{{stallOnce}}' ]; then rm -f '{{stallOnce}}'; echo stalled >> '{{log}}'; sleep 4; fi ;;
            esac
            """));
        await using var a = await site.StartHostAsync("a", _cluster, etcd.Endpoints);
        await using var b = await site.StartHostAsync("b", _cluster, etcd.Endpoints);

        var stale = a.PostAsync("/update_all");
        await Eventually.TrueAsync(() => File.Exists(log), "host a's rsync started", TimeSpan.FromSeconds(30));
        Signal("STOP", a.ProcessId);
        try
        {
            site.Root.WriteFile("hermes/app/settings.json", "{\"version\": 2}");
            await Eventually.TrueAsync(async () => !(await MemberNamesAsync(b)).Contains("a"), "host a's lease ran out", TimeSpan.FromSeconds(20));
            await Eventually.TrueAsync(
                async () => (await b.PostAsync("/update_all")).Body == "ok" && site.Delivered == "{\"version\": 2}",
                "host b delivered the newer revision",
                TimeSpan.FromSeconds(30));
        }
        finally
        {
            Signal("CONT", a.ProcessId);
        }

        var answer = await stale;
        await Task.Delay(TimeSpan.FromSeconds(2));

        var refused = a.Logs.Contains("refused by the target", StringComparison.Ordinal);
        var ended = a.Logs.Contains("lost the cluster lock of the source", StringComparison.Ordinal);
        output.WriteLine($"host a after SIGCONT: {(refused ? "its switch was refused by the target's fence" : ended ? "its run was ended when it found its lock lost" : "neither")}; it answered {answer.Status} {answer.Body}");
        Assert.Equal("{\"version\": 2}", site.Delivered);
        Assert.True(refused || ended, a.Logs);
        var fence = long.Parse(File.ReadAllText(Path.Combine(site.TargetDirectory, ".courier", "releases", "app", "fence")).Trim(), CultureInfo.InvariantCulture);
        Assert.True(fence > 0);
    }

    private static async Task<List<string>> MemberNamesAsync(CourierHostProcess host)
    {
        var cluster = (await ClusterSite.GetJsonAsync(host, "/status")).Body.GetProperty("cluster");
        return [.. cluster.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("name").GetString()!)];
    }

    private static void Signal(string signal, int processId)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { $"-{signal}", processId.ToString(CultureInfo.InvariantCulture) } })!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>The killed host's validation process, orphaned by the kill: ended too, so the test leaves nothing running.</summary>
    private static void KillValidation(string log)
    {
        var slow = File.ReadAllLines(log).First(line => line.StartsWith("slow ", StringComparison.Ordinal));
        try
        {
            Process.GetProcessById(int.Parse(slow["slow ".Length..], CultureInfo.InvariantCulture)).Kill();
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
    }
}
