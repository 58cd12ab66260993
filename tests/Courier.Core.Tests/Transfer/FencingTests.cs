using Courier.Testing;

namespace Courier.Core.Tests.Transfer;

/// <summary>
/// Fencing on real sshd targets: a target records the fencing token of the delivery that last changed it and refuses
/// a lower one (reported <c>fenced</c>, never retried, nothing changed), atomically and in place. A forced command can
/// play a newer run that switches the target while a stale run's rsync is under way, so the refusal at the switch
/// itself is tested, not only the early one.
/// </summary>
public sealed class FencingTests() : TransferSite("courier-fencing")
{
    private string NewerRunFlag => Temp.Combine("newer-run-token");

    // While the flag file exists, each rsync first records its token as the fence: a newer run got there first.
    protected override SshServerOptions ServerOptions => SshServerOptions.RunningFirst(Temp, $$"""
        case "$SSH_ORIGINAL_COMMAND" in
          *"rsync --server"*) if [ -f '{{NewerRunFlag}}' ]; then cp '{{NewerRunFlag}}' '{{Releases}}/fence'; fi ;;
        esac
        """);

    private string Live => Path.Combine(Destination, "app");

    private string Releases => Path.Combine(Destination, ".courier", "releases", "app");

    private static DeliveryOptions Atomic(long? token) => new() { Publish = PublishOptions.Atomic, FencingToken = token };

    private static DeliveryOptions InPlace(long? token) => new() { FencingToken = token };

    private Task<TransferResult> PushAsync(string revision, DeliveryOptions options, string? destinationPath = "app") =>
        Transfer().PushAsync(new Snapshot("test", Source, destinationPath, revision), Address, Login(), null, options, CancellationToken.None);

    [Fact]
    public async Task An_atomic_target_refuses_a_lower_token_before_any_transfer_and_keeps_its_release()
    {
        Temp.WriteFile("source/app.conf", "newer");
        Assert.True((await PushAsync("r2", Atomic(20))).Succeeded);
        Temp.WriteFile("source/app.conf", "stale");

        var stale = await PushAsync("r1", Atomic(10));

        Assert.False(stale.Succeeded);
        Assert.True(stale.Fenced);
        Assert.Equal(1, stale.Attempts);
        Assert.Contains("fenced:", stale.Error, StringComparison.Ordinal);
        Assert.Contains("fencing token 20; this run's is 10", stale.Error, StringComparison.Ordinal);
        Assert.Equal("r2", stale.Revision);
        Assert.Equal("newer", Read("app/app.conf"));
        Assert.Equal(["r2-1"], Directory.GetDirectories(Releases).Select(Path.GetFileName));
        Assert.Equal("20", File.ReadAllText(Path.Combine(Releases, "fence")).Trim());
    }

    [Fact]
    public async Task A_stale_run_whose_target_was_switched_by_a_newer_run_meanwhile_is_refused_at_its_switch()
    {
        Temp.WriteFile("source/app.conf", "v1");
        Assert.True((await PushAsync("r1", Atomic(10))).Succeeded);
        Temp.WriteFile("source/app.conf", "stale v2");

        // The stale run's inspect still sees token 10; before its switch a newer run records 30.
        File.WriteAllText(NewerRunFlag, "30\n");
        var stale = await PushAsync("r2", Atomic(11));

        Assert.True(stale.Fenced, stale.Error);
        Assert.Contains("fencing token 30; this run's is 11", stale.Error, StringComparison.Ordinal);
        Assert.Equal("v1", Read("app/app.conf"));
        Assert.Equal(".courier/releases/app/r1-1", new FileInfo(Live).LinkTarget);
        Assert.Equal(["r1-1"], Directory.GetDirectories(Releases).Select(Path.GetFileName));
    }

    [Fact]
    public async Task The_same_token_switches_again_and_a_higher_one_records_itself()
    {
        Temp.WriteFile("source/app.conf", "v1");
        Assert.True((await PushAsync("r1", Atomic(10))).Succeeded);
        Temp.WriteFile("source/app.conf", "v2");
        Assert.True((await PushAsync("r2", Atomic(10))).Succeeded);
        Temp.WriteFile("source/app.conf", "v3");

        var newer = await PushAsync("r3", Atomic(12));

        Assert.True(newer.Succeeded, newer.Error);
        Assert.False(newer.Fenced);
        Assert.Equal("v3", Read("app/app.conf"));
        Assert.Equal("12", File.ReadAllText(Path.Combine(Releases, "fence")).Trim());
    }

    [Fact]
    public async Task A_delivery_without_a_token_a_single_node_is_not_fenced_and_leaves_the_token_recorded()
    {
        Temp.WriteFile("source/app.conf", "cluster");
        Assert.True((await PushAsync("r1", Atomic(40))).Succeeded);
        Temp.WriteFile("source/app.conf", "single node");

        var single = await PushAsync("r2", Atomic(null));

        Assert.True(single.Succeeded, single.Error);
        Assert.Equal("single node", Read("app/app.conf"));
        Assert.Equal("40", File.ReadAllText(Path.Combine(Releases, "fence")).Trim());
    }

    [Fact]
    public async Task An_in_place_target_records_its_token_in_a_marker_and_refuses_a_lower_one_unchanged()
    {
        Temp.WriteFile("source/app.conf", "newer");
        Assert.True((await PushAsync("r2", InPlace(20))).Succeeded);
        Assert.Equal("20", File.ReadAllText(Path.Combine(Destination, ".courier", "in-place", "app.fence")).Trim());
        Temp.WriteFile("source/app.conf", "stale");
        Temp.WriteFile("source/extra.conf", "stale");

        var stale = await PushAsync("r1", InPlace(10));

        Assert.True(stale.Fenced, stale.Error);
        Assert.Equal(1, stale.Attempts);
        Assert.Contains("fencing token 20; this run's is 10", stale.Error, StringComparison.Ordinal);
        Assert.Equal("newer", Read("app/app.conf"));
        Assert.Null(Read("app/extra.conf"));
    }

    [Fact]
    public async Task A_whole_hermes_directory_keeps_its_marker_through_rsync_delete()
    {
        Temp.WriteFile("source/app.conf", "v1");
        Assert.True((await PushAsync("r1", InPlace(5), destinationPath: null)).Succeeded);
        Temp.WriteFile("source/app.conf", "v2");

        var again = await PushAsync("r2", InPlace(6), destinationPath: null);

        Assert.True(again.Succeeded, again.Error);
        Assert.Equal("v2", Read("app.conf"));
        Assert.Equal("6", File.ReadAllText(Path.Combine(Destination, ".courier", "in-place.fence")).Trim());
        Assert.True((await PushAsync("r0", InPlace(4), destinationPath: null)).Fenced);
        Assert.Equal("v2", Read("app.conf"));
    }
}
