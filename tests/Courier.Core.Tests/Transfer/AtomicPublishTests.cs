using Courier.Testing;

namespace Courier.Core.Tests.Transfer;

/// <summary>
/// Atomic publish over a real sshd: the release layout, the link switch, keep_releases, the conversion of a real
/// directory, the ledger's skip of an unchanged revision (counted with a forced command that logs each remote run),
/// and a failed build that leaves the live release alone.
/// </summary>
public sealed class AtomicPublishTests() : TransferSite("courier-atomic")
{
    private static readonly DeliveryOptions Atomic = new() { Publish = PublishOptions.Atomic };

    private string RunLog => Temp.Combine("runs.log");

    // Each remote command is logged by kind.
    protected override SshServerOptions ServerOptions => SshServerOptions.RunningFirst(Temp, $$"""
        case "$SSH_ORIGINAL_COMMAND" in
          *"rsync --server"*) echo rsync >> '{{RunLog}}' ;;
          *courier-publish*) echo step >> '{{RunLog}}' ;;
        esac
        """);

    private string Live => Path.Combine(Destination, "app");

    private string Releases => Path.Combine(Destination, ".courier", "releases", "app");

    private int Runs(string kind) => File.Exists(RunLog) ? File.ReadAllLines(RunLog).Count(line => line == kind) : 0;

    private Task<TransferResult> PushAsync(string revision, DeliveryOptions? options = null, bool fileTimes = false) =>
        Transfer().PushAsync(new Snapshot("test", Source, "app", revision) { FileTimesTrackChanges = fileTimes }, Address, Login(), null, options ?? Atomic, CancellationToken.None);

    [Fact]
    public async Task The_first_delivery_makes_a_release_and_a_relative_link_to_it()
    {
        Temp.WriteFile("source/a.conf", "one");
        Temp.WriteFile("source/nested/b.conf", "two");

        var result = await PushAsync("c0ffee");

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("c0ffee", result.Revision);
        Assert.NotNull(result.RevisionSince);
        Assert.Equal(".courier/releases/app/c0ffee-1", new FileInfo(Live).LinkTarget);
        Assert.Equal("one", Read("app/a.conf"));
        Assert.Equal("two", Read("app/nested/b.conf"));
    }

    [Fact]
    public async Task A_change_is_a_new_release_sharing_unchanged_files_and_only_keep_releases_stay()
    {
        Temp.WriteFile("source/same.conf", "same");
        Temp.WriteFile("source/changing.conf", "v1");
        var keepTwo = new DeliveryOptions { Publish = PublishOptions.Atomic with { KeepReleases = 2 } };
        Assert.True((await PushAsync("r1", keepTwo, fileTimes: true)).Succeeded);

        for (var version = 2; version <= 4; version++)
        {
            Temp.WriteFile("source/changing.conf", $"v{version}");
            File.SetLastWriteTimeUtc(Path.Combine(Source, "changing.conf"), DateTime.UtcNow.AddSeconds(version * 10));
            var result = await PushAsync($"r{version}", keepTwo, fileTimes: true);
            Assert.True(result.Succeeded, result.Error);
        }

        Assert.Equal(".courier/releases/app/r4-4", new FileInfo(Live).LinkTarget);
        Assert.Equal("v4", Read("app/changing.conf"));
        Assert.Equal(["r3-3", "r4-4"], Directory.GetDirectories(Releases).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(Inode(Path.Combine(Releases, "r3-3", "same.conf")), Inode(Path.Combine(Releases, "r4-4", "same.conf")));
        Assert.NotEqual(Inode(Path.Combine(Releases, "r3-3", "changing.conf")), Inode(Path.Combine(Releases, "r4-4", "changing.conf")));
    }

    [Fact]
    public async Task An_unchanged_revision_makes_no_rsync_run_and_verify_content_repairs_an_edited_file()
    {
        Temp.WriteFile("source/a.conf", "good");
        Assert.True((await PushAsync("r1")).Succeeded);
        var rsyncRuns = Runs("rsync");
        File.Delete(Path.Combine(Live, "a.conf"));
        File.WriteAllText(Path.Combine(Live, "a.conf"), "edited on the target");

        var again = await PushAsync("r1");

        Assert.True(again.Succeeded, again.Error);
        Assert.True(again.Unchanged);
        Assert.Equal("r1", again.Revision);
        Assert.Equal(rsyncRuns, Runs("rsync"));
        Assert.Equal("edited on the target", Read("app/a.conf"));

        var verified = await PushAsync("r1", new DeliveryOptions { Publish = PublishOptions.Atomic with { Verify = VerifyMode.Content } });

        Assert.True(verified.Succeeded, verified.Error);
        Assert.False(verified.Unchanged);
        Assert.Equal(rsyncRuns + 1, Runs("rsync"));
        Assert.Equal("good", Read("app/a.conf"));
    }

    [Fact]
    public async Task A_real_directory_is_converted_once_and_its_files_are_kept_as_a_release()
    {
        Temp.WriteFile("destination/app/old.conf", "in place");
        Temp.WriteFile("source/new.conf", "atomic");

        var result = await PushAsync("r1");

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(".courier/releases/app/r1-2", new FileInfo(Live).LinkTarget);
        Assert.Equal("atomic", Read("app/new.conf"));
        Assert.Null(Read("app/old.conf"));
        Assert.Equal("in place", File.ReadAllText(Path.Combine(Releases, "in-place-1", "old.conf")));
    }

    [Fact]
    public async Task An_in_place_push_to_a_target_published_atomically_is_refused_and_the_live_release_keeps_its_files()
    {
        Temp.WriteFile("source/a.conf", "one");
        Assert.True((await PushAsync("r1")).Succeeded);
        Temp.WriteFile("source/a.conf", "two");

        var inPlace = await PushAsync("r2", DeliveryOptions.Default);

        Assert.False(inPlace.Succeeded);
        Assert.Contains("is published atomically", inPlace.Error, StringComparison.Ordinal);
        Assert.Equal(".courier/releases/app/r1-1", new FileInfo(Live).LinkTarget);
        Assert.Equal("one", Read("app/a.conf"));
        Assert.Equal(["a.conf"], Directory.GetFiles(Path.Combine(Releases, "r1-1")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_nested_destination_path_gets_a_link_relative_to_its_own_directory()
    {
        Temp.WriteFile("source/a.conf", "deep");

        var result = await Transfer().PushAsync(new Snapshot("test", Source, "team/app", "r1"), Address, Login(), null, Atomic, CancellationToken.None);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("../.courier/releases/team/app/r1-1", new FileInfo(Path.Combine(Destination, "team", "app")).LinkTarget);
        Assert.Equal("deep", Read("team/app/a.conf"));
    }

    [Fact]
    public async Task A_dry_run_reads_the_target_revision_and_writes_nothing()
    {
        Temp.WriteFile("source/a.conf", "one");
        Assert.True((await PushAsync("r1")).Succeeded);
        Temp.WriteFile("source/a.conf", "two");
        var steps = Runs("step");

        var dry = await PushAsync("r2", Atomic with { DryRun = true });

        Assert.True(dry.Succeeded, dry.Error);
        Assert.Equal("r1", dry.CurrentRevision);
        Assert.Equal(["a.conf"], dry.Changes!.Updated);
        Assert.Equal(steps + 1, Runs("step"));
        Assert.Equal(["r1-1"], Directory.GetDirectories(Releases).Select(Path.GetFileName));
        Assert.Equal("one", Read("app/a.conf"));
    }

    [Fact]
    public async Task A_snapshot_of_the_whole_hermes_directory_is_refused_atomic_publish_and_nothing_changes()
    {
        Temp.WriteFile("source/a.conf", "whole");
        Temp.WriteFile("destination/other/keep.conf", "keep");

        var result = await Transfer().PushAsync(new Snapshot("test", Source, null, "r1"), Address, Login(), null, Atomic, CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains("whole hermes directory", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, Runs("rsync") + Runs("step"));
        Assert.Equal("keep", Read("other/keep.conf"));
        Assert.Null(Read("a.conf"));
    }

    [Fact]
    public async Task A_disk_that_fills_while_a_release_is_built_keeps_the_current_release_live()
    {
        await using var disk = await TmpfsMount.MountAsync(2048);
        var address = new HermesAddress(Target.Endpoint, disk.Path);
        Temp.WriteFile("source/a.conf", "current");
        var transfer = Transfer(o => o.Retries.Attempts = 1);
        Assert.True((await transfer.PushAsync(new Snapshot("test", Source, "app", "r1"), address, Login(), null, Atomic, CancellationToken.None)).Succeeded);
        disk.Fill(leaveKilobytes: 256);
        File.WriteAllBytes(Path.Combine(Source, "big.bin"), new byte[1024 * 1024]);

        var result = await transfer.PushAsync(new Snapshot("test", Source, "app", "r2"), address, Login(), null, Atomic, CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Equal("r1", result.Revision);
        var live = Path.Combine(disk.Path, "app");
        Assert.Equal(".courier/releases/app/r1-1", new FileInfo(live).LinkTarget);
        Assert.Equal("current", File.ReadAllText(Path.Combine(live, "a.conf")));
        Assert.Equal(["r1-1"], Directory.GetDirectories(Path.Combine(disk.Path, ".courier", "releases", "app")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_switch_back_to_a_release_kept_on_the_target_is_one_rename_and_to_one_not_kept_changes_nothing()
    {
        Temp.WriteFile("source/a.conf", "one");
        Assert.True((await PushAsync("r1")).Succeeded);
        Temp.WriteFile("source/a.conf", "two");
        Assert.True((await PushAsync("r2")).Succeeded);
        var transfers = Runs("rsync");
        var switchBack = Atomic with { ReuseKeptRelease = true, OnlyKeptRelease = true };
        var noFiles = new Snapshot("test", Temp.Combine("no-such-directory"), "app", "r1");

        var back = await Transfer().PushAsync(noFiles, Address, Login(), null, switchBack, CancellationToken.None);

        Assert.True(back.Succeeded, back.Error);
        Assert.Equal("r1", back.Revision);
        Assert.Equal(".courier/releases/app/r1-1", new FileInfo(Live).LinkTarget);
        Assert.Equal("one", Read("app/a.conf"));

        var notKept = await Transfer().PushAsync(noFiles with { Revision = "r9" }, Address, Login(), null, switchBack, CancellationToken.None);
        Assert.False(notKept.Succeeded);
        Assert.Contains("keeps no release of r9", notKept.Error, StringComparison.Ordinal);
        Assert.Equal(".courier/releases/app/r1-1", new FileInfo(Live).LinkTarget);

        var inPlace = await Transfer().PushAsync(noFiles, Address, Login(), null, new DeliveryOptions { ReuseKeptRelease = true, OnlyKeptRelease = true }, CancellationToken.None);
        Assert.False(inPlace.Succeeded);
        Assert.Contains("published in place", inPlace.Error, StringComparison.Ordinal);
        Assert.Equal("one", Read("app/a.conf"));
        Assert.Equal(transfers, Runs("rsync"));
    }

    internal static string Inode(string path)
    {
        using var stat = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%i", path]) { RedirectStandardOutput = true })!;
        var inode = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        return stat.ExitCode == 0 ? inode : throw new InvalidOperationException($"stat {path} failed");
    }
}
