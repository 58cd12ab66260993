using Xunit.Abstractions;

namespace Courier.Core.Tests.Transfer;

/// <summary>
/// Torn reads: while deliveries switch a 2,000-file tree from one revision to the next, a reader on the target side
/// reads two files (the first and the last rsync writes) that always carry the same revision. With atomic publish it
/// never sees a mix; in place (<c>--delay-updates</c> renames file after file) it may, and the counts are printed.
/// The reader resolves the live path once per read, as a service reading a whole tree should.
/// </summary>
public sealed class TornReadTests(ITestOutputHelper output) : TransferSite("courier-torn-read")
{
    private const int Files = 2000;
    private const int Deliveries = 4;

    [Fact]
    public async Task An_atomic_release_is_never_read_half_old_and_half_new()
    {
        var (reads, mixed, missing) = await DeliverWhileReadingAsync(new DeliveryOptions { Publish = PublishOptions.Atomic });

        output.WriteLine($"atomic: {reads} reads during {Deliveries} deliveries, {mixed} mixed, {missing} missing");
        Assert.True(reads > Deliveries, $"the reader ran {reads} times: it did not read during the deliveries");
        Assert.Equal(0, mixed);
        Assert.Equal(0, missing);
    }

    [Fact]
    public async Task In_place_the_same_reader_is_counted_and_never_finds_a_file_missing()
    {
        var (reads, mixed, missing) = await DeliverWhileReadingAsync(DeliveryOptions.Default);

        // Not asserted: in place, rsync renames one file after another, so a mix is allowed (and usually seen).
        output.WriteLine($"in-place: {reads} reads during {Deliveries} deliveries, {mixed} mixed, {missing} missing");
        Assert.True(reads > Deliveries, $"the reader ran {reads} times: it did not read during the deliveries");
        Assert.Equal(0, missing);
    }

    private async Task<(long Reads, long Mixed, long Missing)> DeliverWhileReadingAsync(DeliveryOptions options)
    {
        var transfer = Transfer();
        WriteRevision("r0");
        var first = await transfer.PushAsync(new Snapshot("test", Source, "app", "r0"), Address, Login(), null, options, CancellationToken.None);
        Assert.True(first.Succeeded, first.Error);

        var live = Path.Combine(Destination, "app");
        using var stop = new CancellationTokenSource();
        long reads = 0, mixed = 0, missing = 0;
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var tree = Directory.ResolveLinkTarget(live, returnFinalTarget: true)?.FullName ?? live;
                try
                {
                    var a = File.ReadAllText(Path.Combine(tree, "a", "first.conf"));
                    var z = File.ReadAllText(Path.Combine(tree, "z", "last.conf"));
                    reads++;
                    if (a != z)
                    {
                        mixed++;
                    }
                }
                catch (IOException)
                {
                    missing++;
                }
            }
        });

        for (var delivery = 1; delivery <= Deliveries; delivery++)
        {
            WriteRevision($"r{delivery}");
            var result = await transfer.PushAsync(new Snapshot("test", Source, "app", $"r{delivery}"), Address, Login(), null, options, CancellationToken.None);
            Assert.True(result.Succeeded, result.Error);
        }

        await stop.CancelAsync();
        await reader;
        Assert.Equal($"r{Deliveries}", File.ReadAllText(Path.Combine(live, "z", "last.conf")));
        return (reads, mixed, missing);
    }

    /// <summary>Every file of the tree carries the revision: a/first.conf, then 1,998 files, then z/last.conf.</summary>
    private void WriteRevision(string revision)
    {
        Temp.WriteFile("source/a/first.conf", revision);
        for (var i = 0; i < Files - 2; i++)
        {
            Temp.WriteFile($"source/m/{i / 100:D2}/file{i:D4}.conf", $"{revision} {i}");
        }

        Temp.WriteFile("source/z/last.conf", revision);
    }
}
