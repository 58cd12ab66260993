namespace Courier.Core.Tests.Transfer;

/// <summary>
/// The next release starts as hard links to the live one (made by <c>inspect</c>), and rsync updates it: what changed
/// becomes new files, so the live release never changes under its readers, whichever way rsync compares files.
/// </summary>
public sealed class PreparedReleaseTests() : TransferSite("courier-prepared")
{
    private static readonly DeliveryOptions Atomic = new() { Publish = PublishOptions.Atomic };

    private string Releases => Path.Combine(Destination, ".courier", "releases", "app");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_change_leaves_every_file_of_the_previous_release_as_it_was(bool fileTimes)
    {
        Temp.WriteFile("source/changing.conf", "v1");
        Temp.WriteFile("source/same.conf", "same");
        Temp.WriteFile("source/removed.conf", "old");
        Assert.True((await PushAsync("r1", fileTimes)).Succeeded);
        var previous = Path.Combine(Releases, "r1-1");
        var before = Inode(Path.Combine(previous, "changing.conf"));

        Temp.WriteFile("source/changing.conf", "v2");
        File.SetLastWriteTimeUtc(Path.Combine(Source, "changing.conf"), DateTime.UtcNow.AddMinutes(1));
        File.Delete(Path.Combine(Source, "removed.conf"));
        var result = await PushAsync("r2", fileTimes);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("v2", Read("app/changing.conf"));
        Assert.Null(Read("app/removed.conf"));
        Assert.Equal("v1", File.ReadAllText(Path.Combine(previous, "changing.conf")));
        Assert.Equal("old", File.ReadAllText(Path.Combine(previous, "removed.conf")));
        Assert.Equal(before, Inode(Path.Combine(previous, "changing.conf")));
        Assert.Equal(Inode(Path.Combine(previous, "same.conf")), Inode(Path.Combine(Releases, "r2-2", "same.conf")));
    }

    [Fact]
    public async Task A_failed_transfer_into_the_prepared_release_removes_it_and_keeps_the_live_one()
    {
        Temp.WriteFile("source/app.conf", "v1");
        Assert.True((await PushAsync("r1", fileTimes: false)).Succeeded);
        Temp.WriteFile("source/app.conf", "v2");

        // rsync that cannot run on the target: the prepared release is there, the transfer fails.
        var failed = await Transfer(o => o.Ssh.RsyncExecutable = "/bin/false").PushAsync(new Snapshot("test", Source, "app", "r2"), Address, Login(), null, Atomic, CancellationToken.None);

        Assert.False(failed.Succeeded);
        Assert.Equal("v1", Read("app/app.conf"));
        Assert.Equal(["r1-1"], Directory.GetDirectories(Releases).Select(Path.GetFileName));
    }

    private Task<TransferResult> PushAsync(string revision, bool fileTimes) =>
        Transfer().PushAsync(new Snapshot("test", Source, "app", revision) { FileTimesTrackChanges = fileTimes }, Address, Login(), null, Atomic, CancellationToken.None);

    private static string Inode(string path) => AtomicPublishTests.Inode(path);
}
