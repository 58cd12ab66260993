using System.Text.RegularExpressions;
using Courier.Core.Ssh;
using Courier.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Core.Tests.Ssh;

/// <summary>Transfers to one target share one ssh connection, which Courier owns, closes when idle and at shutdown.</summary>
public sealed partial class SshConnectionPoolTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = TempDirectory.Create("courier-ssh-pool");
    private SshServer _target = null!;

    public async Task InitializeAsync()
    {
        _target = await SshServer.StartAsync();
        _temp.WriteFile("source/app.conf", "v1");
    }

    public async Task DisposeAsync()
    {
        await _target.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task Transfers_to_one_target_log_in_once_and_shutdown_ends_the_connection()
    {
        var services = Services();
        await PushTwiceAsync(services);

        Assert.Equal(1, Logins());
        var master = Assert.Single(SharedConnections());
        Assert.Contains($"-p {_target.Port} ", master.CommandLine, StringComparison.Ordinal);

        await services.DisposeAsync();

        Assert.Empty(await SharedConnectionsGoneAsync());
        Assert.DoesNotContain(ProcessProbe.Children(), child => child.IsDefunct);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_temp.Combine("state", "ssh")));
    }

    [Fact]
    public async Task An_idle_connection_is_closed_and_the_next_transfer_opens_a_new_one()
    {
        await using var services = Services(o => o.Ssh.ConnectionIdleTimeout = TimeSpan.FromSeconds(1));
        await PushAsync(services, "v1");
        Assert.Single(SharedConnections());

        Assert.Empty(await SharedConnectionsGoneAsync());
        await PushAsync(services, "v2");

        Assert.Equal(2, Logins());
        Assert.Equal("v2", File.ReadAllText(_temp.Combine("target", "app.conf")));
    }

    [Fact]
    public async Task A_killed_connection_is_replaced_and_no_transfer_fails_for_it()
    {
        await using var services = Services();
        await PushAsync(services, "v1");
        System.Diagnostics.Process.GetProcessById(Assert.Single(SharedConnections()).Pid).Kill();
        Assert.Empty(await SharedConnectionsGoneAsync());
        await Task.Delay(200);

        await PushAsync(services, "v2");

        Assert.Equal("v2", File.ReadAllText(_temp.Combine("target", "app.conf")));
        Assert.Single(SharedConnections());
    }

    [Fact]
    public async Task With_reuse_off_every_transfer_connects_on_its_own()
    {
        await using var services = Services(o => o.Ssh.ReuseConnections = false);
        await PushTwiceAsync(services);

        Assert.Equal(2, Logins());
        Assert.Empty(SharedConnections());
    }

    [Fact]
    public async Task A_state_directory_too_deep_for_a_socket_path_uses_a_private_temporary_one()
    {
        var deep = _temp.Combine(new string('d', 60), new string('e', 60), "state");
        var services = Services(o => o.StateDirectory = deep);
        await PushTwiceAsync(services);

        Assert.Equal(1, Logins());
        var socket = ControlPath().Match(Assert.Single(SharedConnections()).CommandLine).Groups[1].Value;
        Assert.StartsWith(Path.Combine(Path.GetTempPath(), "courier-ssh-"), socket, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(socket)!));

        await services.DisposeAsync();
        Assert.False(Directory.Exists(Path.GetDirectoryName(socket)), "the temporary socket directory was left behind");
    }

    private ServiceProvider Services(Action<CourierOptions>? configure = null) =>
        new ServiceCollection()
            .AddCourier(o =>
            {
                o.StateDirectory = _temp.Combine("state");
                o.Ssh.StrictHostKeyChecking = "accept-new";
                configure?.Invoke(o);
            })
            .Services.BuildServiceProvider();

    private async Task PushTwiceAsync(ServiceProvider services)
    {
        await PushAsync(services, "v1");
        await PushAsync(services, "v2");
    }

    private async Task PushAsync(ServiceProvider services, string content)
    {
        _temp.WriteFile("source/app.conf", content);
        var result = await services.GetRequiredService<IFileTransfer>().PushAsync(
            new Snapshot("test", _temp.Combine("source"), null, content),
            new HermesAddress(_target.Endpoint, _temp.Combine("target")),
            new SshLogin(_target.User, _target.ClientKey.PrivateKeyPath, Sudo: false),
            gateway: null,
            CancellationToken.None);
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(content, File.ReadAllText(_temp.Combine("target", "app.conf")));
    }

    /// <summary>sshd logs one line per login (LogLevel VERBOSE).</summary>
    private int Logins() => Regex.Count(_target.Log, "Accepted publickey");

    private List<ChildProcess> SharedConnections() =>
        [.. ProcessProbe.Children().Where(child => child.IsSharedSshConnection && child.CommandLine.Contains($"-p {_target.Port} ", StringComparison.Ordinal))];

    private async Task<List<ChildProcess>> SharedConnectionsGoneAsync()
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(10); SharedConnections().Count > 0 && DateTime.UtcNow < deadline;)
        {
            await Task.Delay(100);
        }

        return SharedConnections();
    }

    [GeneratedRegex("ControlPath=(\\S+)")]
    private static partial Regex ControlPath();
}
