using Courier.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Core.Tests.Transfer;

/// <summary>rsync over a real sshd on loopback.</summary>
public sealed class RsyncTransferTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = TempDirectory.Create("courier-rsync");
    private SshServer _target = null!;

    private string Source => _temp.Combine("source");

    private string Destination => _temp.Combine("destination");

    public async Task InitializeAsync()
    {
        _target = await SshServer.StartAsync();
        Directory.CreateDirectory(Source);
        Directory.CreateDirectory(Destination);
    }

    public async Task DisposeAsync()
    {
        await _target.DisposeAsync();
        _temp.Dispose();
    }

    private IFileTransfer Transfer() =>
        new ServiceCollection()
            .AddCourier(o =>
            {
                o.StateDirectory = _temp.Combine("state");
                o.Ssh.StrictHostKeyChecking = "accept-new";
            })
            .Services.BuildServiceProvider()
            .GetRequiredService<IFileTransfer>();

    private HermesAddress Address => new(_target.Endpoint, Destination);

    private SshLogin Login(bool sudo = false) => new(_target.User, _target.ClientKey.PrivateKeyPath, sudo);

    private string? Read(string relative) => File.Exists(Path.Combine(Destination, relative)) ? File.ReadAllText(Path.Combine(Destination, relative)) : null;

    [Fact]
    public async Task Delivers_into_a_directory_named_by_the_destination_path_and_deletes_what_is_gone()
    {
        _temp.WriteFile("source/a.conf", "a");
        _temp.WriteFile("source/sub/b.conf", "b");
        _temp.WriteFile("source/.git/config", "never delivered");
        _temp.WriteFile("source/.gitignore", "never delivered");
        var snapshot = new Snapshot("test", Source, "chess-config", "r1");

        var first = await Transfer().PushAsync(snapshot, Address, Login(), null, CancellationToken.None);

        Assert.True(first.Succeeded, first.Error);
        Assert.Equal(0, first.ExitCode);
        Assert.True(first.BytesSent > 0);
        Assert.Equal("a", Read("chess-config/a.conf"));
        Assert.Equal("b", Read("chess-config/sub/b.conf"));
        Assert.Null(Read("chess-config/.git/config"));
        Assert.Null(Read("chess-config/.gitignore"));

        File.Delete(Path.Combine(Source, "sub", "b.conf"));
        File.WriteAllText(Path.Combine(Source, "a.conf"), "a2");
        File.WriteAllText(Path.Combine(Destination, "beside.conf"), "outside the delivered directory");
        var second = await Transfer().PushAsync(snapshot, Address, Login(), null, CancellationToken.None);

        Assert.True(second.Succeeded, second.Error);
        Assert.Equal("a2", Read("chess-config/a.conf"));
        Assert.Null(Read("chess-config/sub/b.conf"));
        Assert.Equal("outside the delivered directory", Read("beside.conf"));
    }

    [Fact]
    public async Task Delivers_the_contents_straight_into_the_hermes_path_when_asked()
    {
        _temp.WriteFile("source/top.conf", "top");

        var result = await Transfer().PushAsync(new Snapshot("test", Source, null, "r1"), Address, Login(), null, CancellationToken.None);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("top", Read("top.conf"));
    }

    [Fact]
    public async Task Runs_sudo_rsync_on_the_remote_side_when_asked()
    {
        _temp.WriteFile("source/a.conf", "with sudo");

        var result = await Transfer().PushAsync(new Snapshot("test", Source, "s", "r1"), Address, Login(sudo: true), null, CancellationToken.None);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("with sudo", Read("s/a.conf"));
    }

    [Fact]
    public async Task An_empty_snapshot_is_refused_and_the_destination_keeps_its_files()
    {
        _temp.WriteFile("destination/keep/precious.conf", "precious");

        var result = await Transfer().PushAsync(new Snapshot("test", Source, "keep", "r1"), Address, Login(), null, CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains("empty", result.Error, StringComparison.Ordinal);
        Assert.Equal("precious", Read("keep/precious.conf"));
    }

    [Fact]
    public async Task An_unreachable_address_is_a_failed_result_naming_the_target()
    {
        _temp.WriteFile("source/a.conf", "a");
        var nobody = new HermesAddress($"127.0.0.1:{FreePort.Next()}", Destination);

        var result = await Transfer().PushAsync(new Snapshot("test", Source, "x", "r1"), nobody, Login(), null, CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(nobody.Ssh, result.Target, StringComparison.Ordinal);
        Assert.Contains("rsync", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_the_target_does_not_accept_is_a_failed_result()
    {
        _temp.WriteFile("source/a.conf", "a");
        var stranger = await SshKeyPair.GenerateAsync(_temp.Combine("keys"), "stranger");

        var result = await Transfer().PushAsync(new Snapshot("test", Source, "x", "r1"), Address, new SshLogin(_target.User, stranger.PrivateKeyPath, false), null, CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains("Permission denied", result.Error, StringComparison.Ordinal);
        Assert.Null(Read("x/a.conf"));
    }
}
