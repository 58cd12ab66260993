using Courier.Testing;

namespace Courier.Core.Tests.Transfer;

/// <summary>rsync over a real sshd on loopback.</summary>
public sealed class RsyncTransferTests() : TransferSite("courier-rsync")
{
    [Fact]
    public async Task Delivers_into_a_directory_named_by_the_destination_path_and_deletes_what_is_gone()
    {
        Temp.WriteFile("source/a.conf", "a");
        Temp.WriteFile("source/sub/b.conf", "b");
        Temp.WriteFile("source/.git/config", "never delivered");
        Temp.WriteFile("source/.gitignore", "never delivered");
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
        Temp.WriteFile("source/top.conf", "top");

        var result = await Transfer().PushAsync(new Snapshot("test", Source, null, "r1"), Address, Login(), null, CancellationToken.None);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("top", Read("top.conf"));
    }

    [Fact]
    public async Task Runs_sudo_rsync_on_the_remote_side_when_asked()
    {
        Temp.WriteFile("source/a.conf", "with sudo");

        var result = await Transfer().PushAsync(new Snapshot("test", Source, "s", "r1"), Address, Login(sudo: true), null, CancellationToken.None);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("with sudo", Read("s/a.conf"));
    }

    [Fact]
    public async Task An_empty_snapshot_is_refused_and_the_destination_keeps_its_files()
    {
        Temp.WriteFile("destination/keep/precious.conf", "precious");

        var result = await Transfer().PushAsync(new Snapshot("test", Source, "keep", "r1"), Address, Login(), null, CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains("empty", result.Error, StringComparison.Ordinal);
        Assert.Equal("precious", Read("keep/precious.conf"));
    }

    [Fact]
    public async Task An_unreachable_address_is_a_failed_result_naming_the_target()
    {
        Temp.WriteFile("source/a.conf", "a");
        var nobody = new HermesAddress($"127.0.0.1:{FreePort.Next()}", Destination);

        var result = await Transfer().PushAsync(new Snapshot("test", Source, "x", "r1"), nobody, Login(), null, CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(nobody.Ssh, result.Target, StringComparison.Ordinal);
        Assert.Contains("rsync", result.Error, StringComparison.Ordinal);
        Assert.Equal(3, result.Attempts);
        Assert.Equal(3, result.ToDeliveryResult().Attempts);
        Assert.Contains("Connection refused", result.Error, StringComparison.Ordinal);
        Assert.Contains("(after 3 attempts)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_hermes_path_on_the_target_is_created_as_the_original_did()
    {
        Temp.WriteFile("source/a.conf", "a");
        var deep = new HermesAddress(Target.Endpoint, Path.Combine(Destination, "not", "yet", "there"));

        var result = await Transfer().PushAsync(new Snapshot("test", Source, "x", "r1"), deep, Login(), null, CancellationToken.None);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("a", Read("not/yet/there/x/a.conf"));
    }

    [Fact]
    public async Task A_target_that_accepts_and_never_answers_costs_the_rsync_io_deadline_which_the_error_names()
    {
        Temp.WriteFile("source/a.conf", "a");
        await using var silent = await SshServer.StartAsync(new SshServerOptions { ExtraConfigLines = ["ForceCommand cat >/dev/null"] });

        var result = await Transfer(o => { o.Timeouts.RsyncIo = TimeSpan.FromSeconds(1); o.Retries.Attempts = 1; })
            .PushAsync(new Snapshot("test", Source, "x", "r1"), new HermesAddress(silent.Endpoint, Destination), new SshLogin(silent.User, silent.ClientKey.PrivateKeyPath, false), null, CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Equal(30, result.ExitCode);
        Assert.Contains("no answer within Courier:Timeouts:RsyncIo (00:00:01)", result.Error, StringComparison.Ordinal);
        // Other test classes run at the same time: only this target's rsync and ssh are ours to look for.
        Assert.DoesNotContain(ProcessProbe.Children(), child => child.CommandLine.Contains(silent.Endpoint.Split(':')[1], StringComparison.Ordinal) && child.Name is "rsync" or "ssh" && !child.IsSharedSshConnection);
    }

    [Theory]
    [InlineData(11, "error in file I/O")]
    [InlineData(23, "partial transfer due to error")]
    [InlineData(30, "timeout in data send/receive")]
    public void Exit_codes_are_named_as_rsyncs_manual_names_them(int exitCode, string meaning) =>
        Assert.Equal(meaning, Courier.Core.Transfer.RsyncExitCodes.Meaning(exitCode));

    [Theory]
    [InlineData(255, "ssh: connect to host 127.0.0.1 port 1: Connection refused", true)]
    [InlineData(12, "rsync: connection unexpectedly closed", true)]
    [InlineData(255, "Permission denied (publickey).", false)]
    [InlineData(255, "Host key verification failed.", false)]
    [InlineData(23, "rsync: mkdir failed", false)]
    public void Only_transient_failures_are_retried(int exitCode, string error, bool transient) =>
        Assert.Equal(transient, Courier.Core.Transfer.RsyncExitCodes.IsTransient(exitCode, error));

    [Fact]
    public async Task A_key_the_target_does_not_accept_is_a_failed_result()
    {
        Temp.WriteFile("source/a.conf", "a");
        var stranger = await SshKeyPair.GenerateAsync(Temp.Combine("keys"), "stranger");

        var result = await Transfer().PushAsync(new Snapshot("test", Source, "x", "r1"), Address, new SshLogin(Target.User, stranger.PrivateKeyPath, false), null, CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains("Permission denied", result.Error, StringComparison.Ordinal);
        Assert.Equal(1, result.Attempts);
        Assert.Null(Read("x/a.conf"));
    }
}
