using System.Text.Json;
using System.Text.RegularExpressions;
using Courier.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Sources.Git.Tests;

/// <summary>Fetches over SSH go over the connection Courier keeps open to the git server: one login for many pulls.</summary>
public sealed class GitSharedConnectionTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = TempDirectory.Create("courier-git-shared");
    private GitServer _server = null!;

    public async Task InitializeAsync() => _server = await GitServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _temp.Dispose();
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 3)]
    public async Task Three_pulls_log_in_to_the_git_server_once_with_sharing_and_three_times_without(bool reuse, int logins)
    {
        var services = new ServiceCollection()
            .AddCourier(o =>
            {
                o.StateDirectory = _temp.Combine($"state-{reuse}");
                o.Ssh.StrictHostKeyChecking = "no";
                o.Ssh.ReuseConnections = reuse;
            })
            .AddGitSource()
            .Services.BuildServiceProvider();
        var repository = await _server.CreateRepositoryAsync($"shared-{reuse}", "master", new Dictionary<string, string> { ["app.conf"] = "v1" });
        var key = _temp.Combine("id");
        File.Copy(_server.Ssh.ClientKey.PrivateKeyPath, key, overwrite: true);
        var json = $$"""{"type": "git", "repositories": ["{{repository.SshUrl}}"], "ssh_key": "{{key}}", "destinations": ["target"]}""";
        using var document = JsonDocument.Parse(json);
        var source = Assert.Single(services.GetServices<ISourceFactory>().Single(f => f.Type == "git")
            .Create(new SourceDefinition(document.RootElement.Clone(), _temp.WriteFile("config/sources/git.json", $"[{json}]"), 0)));
        var before = Logins();

        for (var version = 1; version <= 3; version++)
        {
            await repository.WriteFileAsync("app.conf", $"v{version}");
            await repository.CommitAndPushAsync($"version {version}");
            var snapshot = await source.PullAsync(CancellationToken.None);
            Assert.Equal($"v{version}", File.ReadAllText(Path.Combine(snapshot.LocalDirectory, "app.conf")));
        }

        Assert.Equal(logins, Logins() - before);
        await services.DisposeAsync();
        Assert.DoesNotContain(ProcessProbe.Children(), child => child.IsSharedSshConnection && child.CommandLine.Contains($"-p {_server.Ssh.Port} ", StringComparison.Ordinal));
    }

    /// <summary>sshd logs one line per login (LogLevel VERBOSE); pushes to the server go through its file path, not ssh.</summary>
    private int Logins() => Regex.Count(_server.Ssh.Log, "Accepted publickey");
}
