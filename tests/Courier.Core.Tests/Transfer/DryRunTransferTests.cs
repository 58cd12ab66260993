using Courier.Core.Transfer;
using Courier.Testing;

namespace Courier.Core.Tests.Transfer;

/// <summary>The transfer's dry run over a real sshd, and the reading of rsync's itemized lines.</summary>
public sealed class DryRunTransferTests() : TransferSite("courier-dry-run")
{
    private static readonly DeliveryOptions DryRun = new() { DryRun = true };

    [Fact]
    public async Task With_file_times_compared_a_dry_run_lists_exactly_what_the_push_then_changes_odd_names_and_links_included()
    {
        Temp.WriteFile("source/same.conf", "same");
        Temp.WriteFile("source/touched.conf", "same bytes");
        Temp.WriteFile("source/gone.conf", "gone");
        var snapshot = new Snapshot("test", Source, "app", "r1") { FileTimesTrackChanges = true };
        Assert.True((await Transfer().PushAsync(snapshot, Address, Login(), null, CancellationToken.None)).Succeeded);

        File.SetLastWriteTimeUtc(Path.Combine(Source, "touched.conf"), DateTime.UtcNow.AddMinutes(5));
        File.Delete(Path.Combine(Source, "gone.conf"));
        Temp.WriteFile("source/with space.conf", "s");
        Temp.WriteFile("source/ünï/çødé.conf", "u");
        Temp.WriteFile("source/tab\there.conf", "t");
        File.CreateSymbolicLink(Path.Combine(Source, "link.conf"), "same.conf");
        var before = Snapshot(Destination);

        var dry = await Transfer().PushAsync(snapshot, Address, Login(), null, DryRun, CancellationToken.None);

        Assert.True(dry.Succeeded, dry.Error);
        Assert.Equal(before, Snapshot(Destination));
        var changes = dry.Changes!;
        Assert.Equal(["link.conf", "tab\there.conf", "with space.conf", "ünï/çødé.conf"], changes.Created.Order(StringComparer.Ordinal));
        Assert.Equal(["touched.conf"], changes.Updated);
        Assert.Equal(["gone.conf"], changes.Deleted);

        var real = await Transfer().PushAsync(snapshot, Address, Login(), null, CancellationToken.None);

        Assert.True(real.Succeeded, real.Error);
        Assert.Null(real.Changes);
        var after = Snapshot(Destination);
        Assert.Equal(changes.Created.Select(p => "app/" + p).Order(StringComparer.Ordinal), after.Keys.Except(before.Keys).Where(p => !p.EndsWith('/')).Order(StringComparer.Ordinal));
        Assert.Equal(["app/gone.conf"], before.Keys.Except(after.Keys));
        Assert.Equal(["app/touched.conf"], before.Keys.Intersect(after.Keys).Where(p => !p.EndsWith('/') && before[p] != after[p]));
    }

    [Fact]
    public async Task A_dry_run_of_an_unchanged_snapshot_lists_no_change()
    {
        Temp.WriteFile("source/a.conf", "a");
        var snapshot = new Snapshot("test", Source, null, "r1");
        Assert.True((await Transfer().PushAsync(snapshot, Address, Login(), null, CancellationToken.None)).Succeeded);

        var dry = await Transfer().PushAsync(snapshot, Address, Login(), null, DryRun, CancellationToken.None);

        Assert.True(dry.Succeeded, dry.Error);
        Assert.Equal(FileChanges.None.Created, dry.Changes!.Created);
        Assert.Empty(dry.Changes.Updated);
        Assert.Empty(dry.Changes.Deleted);
    }

    [Fact]
    public void Itemized_lines_are_read_as_created_updated_and_deleted_files_and_directories_are_skipped()
    {
        const string output = """
            created directory /srv/hermes/app
            cd+++++++++ ./
            <f+++++++++ new.conf
            >f+++++++++ received.conf
            cd+++++++++ sub/
            <f+++++++++ sub/deep.conf
            cL+++++++++ link -> new.conf
            <fcs....... changed.conf
            <f..t...... touched.conf
            .d..t...... other/
            *deleting   old/gone.conf
            *deleting   old/
            *deleting   odd\#012name.conf

            Number of files: 4 (reg: 3, dir: 1)
            Total bytes sent: 1,234
            sent 1,234 bytes  received 56 bytes  2,580.00 bytes/sec
            """;

        var changes = ItemizedChanges.Parse(output);

        Assert.Equal(["new.conf", "received.conf", "sub/deep.conf", "link"], changes.Created);
        Assert.Equal(["changed.conf", "touched.conf"], changes.Updated);
        Assert.Equal(["old/gone.conf", "odd\nname.conf"], changes.Deleted);
    }

    /// <summary>Every file (contents and time) and directory (time) below <paramref name="root"/>.</summary>
    private static SortedDictionary<string, string> Snapshot(string root)
    {
        var tree = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in new DirectoryInfo(root).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, entry.FullName);
            tree[entry is DirectoryInfo ? relative + "/" : relative] = entry is FileInfo file && file.LinkTarget is null
                ? $"{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file.FullName)))}@{file.LastWriteTimeUtc.Ticks}"
                : $"{entry.LinkTarget}@{entry.LastWriteTimeUtc.Ticks}";
        }

        return tree;
    }
}
