using System.Diagnostics;

namespace Courier.Core.Tests.Transfer;

/// <summary>
/// Atomic publish through sudo: the login user (made by the test, with a sudoers entry of its own) cannot write the
/// root-owned hermes path, and with <c>"sudo": true</c> every remote step and rsync run as root.
/// </summary>
public sealed class AtomicSudoTests() : TransferSite("courier-atomic-sudo")
{
    private const string User = "courier-sudo-test";
    private const string Sudoers = "/etc/sudoers.d/courier-sudo-test";
    private static readonly DeliveryOptions Atomic = new() { Publish = PublishOptions.Atomic };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        if (Run("id", "-u", User) != 0)
        {
            Assert.Equal(0, Run("useradd", "--system", "--no-create-home", "--shell", "/bin/sh", User));
        }

        // Without PAM, sshd refuses a locked account ("!" as its password): "*" has no password and is not locked.
        Assert.Equal(0, Run("usermod", "-p", "*", User));

        File.WriteAllText(Sudoers, $"{User} ALL=(root) NOPASSWD: ALL\n");
        File.SetUnixFileMode(Sudoers, UnixFileMode.UserRead | UnixFileMode.GroupRead);

        // sshd reads the authorized keys as the user logging in; the hermes path stays root's own.
        foreach (var directory in new[] { Target.WorkDirectory, Temp.Path })
        {
            File.SetUnixFileMode(directory, File.GetUnixFileMode(directory) | UnixFileMode.OtherExecute);
        }

        var keys = Path.Combine(Target.WorkDirectory, "authorized_keys");
        File.SetUnixFileMode(keys, File.GetUnixFileMode(keys) | UnixFileMode.OtherRead);
        File.SetUnixFileMode(Destination, (UnixFileMode)0b111_101_101);
    }

    public override async Task DisposeAsync()
    {
        File.Delete(Sudoers);
        await base.DisposeAsync();
    }

    private SshLogin As(bool sudo) => new(User, Target.ClientKey.PrivateKeyPath, sudo);

    [Fact]
    public async Task A_login_user_who_needs_sudo_publishes_atomically_with_it_and_fails_cleanly_without()
    {
        Temp.WriteFile("source/a.conf", "as root");
        var snapshot = new Snapshot("test", Source, "app", "r1");

        var refused = await Transfer(o => o.Retries.Attempts = 1).PushAsync(snapshot, Address, As(sudo: false), null, Atomic, CancellationToken.None);

        Assert.False(refused.Succeeded);
        Assert.Contains("Permission denied", refused.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("publickey", refused.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(Destination, "app")));

        var published = await Transfer().PushAsync(snapshot, Address, As(sudo: true), null, Atomic, CancellationToken.None);

        Assert.True(published.Succeeded, published.Error);
        Assert.Equal(".courier/releases/app/r1-1", new FileInfo(Path.Combine(Destination, "app")).LinkTarget);
        Assert.Equal("as root", Read("app/a.conf"));

        var again = await Transfer().PushAsync(snapshot, Address, As(sudo: true), null, Atomic, CancellationToken.None);
        Assert.True(again.Unchanged, again.Error);
    }

    private static int Run(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode;
    }
}
