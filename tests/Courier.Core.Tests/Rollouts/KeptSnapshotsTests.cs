using Courier.Core.Rollouts;
using Courier.Testing;
using Microsoft.Extensions.Options;

namespace Courier.Core.Tests.Rollouts;

/// <summary>The copy a completed rollout keeps for rollbacks holds what the transfer delivers, as it delivers it.</summary>
public sealed class KeptSnapshotsTests : IDisposable
{
    private readonly TempDirectory _temp = TempDirectory.Create("courier-kept");

    [Fact]
    public void A_whole_hermes_directory_is_kept_without_its_releases_and_with_each_release_link_as_its_tree()
    {
        // A Courier's hermes directory after atomic deliveries below it: two releases of app, app linking to the newer.
        var hermes = _temp.Combine("hermes");
        _temp.WriteFile("hermes/.courier/releases/app/r1-1/settings.json", "v1");
        _temp.WriteFile("hermes/.courier/releases/app/r2-2/settings.json", "v2");
        File.CreateSymbolicLink(Path.Combine(hermes, "app"), ".courier/releases/app/r2-2");
        _temp.WriteFile("hermes/other/plain.conf", "plain");
        _temp.WriteFile("hermes/.gitignore", "never delivered");
        var kept = new KeptSnapshots(Options.Create(new CourierOptions { StateDirectory = _temp.Combine("state") }));

        kept.Keep(new Snapshot("hermes-directory:/", hermes, null, "rev-a"), CancellationToken.None);

        var copy = kept.Find("hermes-directory:/")!;
        Assert.Equal("rev-a", copy.Revision);
        Assert.Null(copy.DestinationPath);
        Assert.False(Directory.Exists(Path.Combine(copy.LocalDirectory, ".courier")));
        Assert.False(File.Exists(Path.Combine(copy.LocalDirectory, ".gitignore")));
        Assert.Null(new DirectoryInfo(Path.Combine(copy.LocalDirectory, "app")).LinkTarget);
        Assert.Equal("v2", File.ReadAllText(Path.Combine(copy.LocalDirectory, "app", "settings.json")));
        Assert.Equal("plain", File.ReadAllText(Path.Combine(copy.LocalDirectory, "other", "plain.conf")));
    }

    [Fact]
    public void A_snapshot_below_a_destination_path_keeps_its_links_as_links_and_nothing_the_transfer_excludes()
    {
        var checkout = _temp.Combine("checkout");
        _temp.WriteFile("checkout/conf/real.conf", "real");
        File.CreateSymbolicLink(Path.Combine(checkout, "current"), "conf");
        _temp.WriteFile("checkout/.courier/excluded", "the transfer never delivers a top .courier/");
        _temp.WriteFile("checkout/conf/.courier/delivered", "only the top one is excluded");
        var kept = new KeptSnapshots(Options.Create(new CourierOptions { StateDirectory = _temp.Combine("state") }));

        kept.Keep(new Snapshot("git:repo", checkout, "app-config", "rev-b"), CancellationToken.None);

        var copy = kept.Find("git:repo")!;
        Assert.Equal("conf", new DirectoryInfo(Path.Combine(copy.LocalDirectory, "current")).LinkTarget);
        Assert.Equal("real", File.ReadAllText(Path.Combine(copy.LocalDirectory, "conf", "real.conf")));
        Assert.False(Directory.Exists(Path.Combine(copy.LocalDirectory, ".courier")));
        Assert.True(File.Exists(Path.Combine(copy.LocalDirectory, "conf", ".courier", "delivered")));
    }

    public void Dispose() => _temp.Dispose();
}
