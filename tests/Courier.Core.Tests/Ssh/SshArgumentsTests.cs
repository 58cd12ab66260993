using Courier.Core.Ssh;
using Courier.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Core.Tests.Ssh;

public sealed class SshArgumentsTests : IDisposable
{
    private readonly TempDirectory _temp = TempDirectory.Create("courier-ssh");

    public void Dispose() => _temp.Dispose();

    private ISshCommandBuilder Builder(string policy = "accept-new") =>
        new ServiceCollection()
            .AddCourier(o =>
            {
                o.StateDirectory = _temp.Combine("state");
                o.Ssh.StrictHostKeyChecking = policy;
            })
            .Services.BuildServiceProvider()
            .GetRequiredService<ISshCommandBuilder>();

    [Fact]
    public void A_key_readable_by_others_is_made_private_before_use()
    {
        var key = _temp.WriteFile("keys/deploy.key", "key material");
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var arguments = Builder().CommonArguments(key);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        Assert.Equal(key, arguments[arguments.ToList().IndexOf("-i") + 1]);
        Assert.DoesNotContain(arguments, a => a.Contains("key material", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_key_is_a_clear_configuration_error()
    {
        var missing = _temp.Combine("keys/nope.key");

        var error = Assert.Throws<CourierConfigurationException>(() => Builder().CommonArguments(missing));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_host_key_policy_batch_mode_and_known_hosts_are_always_set()
    {
        var arguments = string.Join(' ', Builder("yes").CommonArguments(null));

        Assert.Contains("BatchMode=yes", arguments, StringComparison.Ordinal);
        Assert.Contains("StrictHostKeyChecking=yes", arguments, StringComparison.Ordinal);
        Assert.Contains($"UserKnownHostsFile={_temp.Combine("state", "known_hosts")}", arguments, StringComparison.Ordinal);
        Assert.Contains("ConnectTimeout=", arguments, StringComparison.Ordinal);
        Assert.DoesNotContain("-i", arguments.Split(' '));
    }

    [Theory]
    [InlineData("plain/path-1.key", "plain/path-1.key")]
    [InlineData("/keys/with space.key", "'/keys/with space.key'")]
    [InlineData("dev; rm -rf /", "'dev; rm -rf /'")]
    [InlineData("$(reboot)", "'$(reboot)'")]
    public void Remote_shell_arguments_are_quoted_one_by_one(string argument, string quoted)
    {
        Assert.Equal(quoted, ShellQuoting.ForRsyncRsh(argument));
    }

    [Fact]
    public void A_remote_shell_argument_with_a_quote_is_refused()
    {
        Assert.Throws<CourierConfigurationException>(() => ShellQuoting.ForRsyncRsh("it's"));
    }
}
