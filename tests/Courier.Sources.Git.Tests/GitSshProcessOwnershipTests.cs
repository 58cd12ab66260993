using System.Text.Json;
using Courier.Core;
using Courier.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Sources.Git.Tests;

/// <summary>
/// Git's ssh is Courier's own process: ended on deadline or cancellation, always reaped. Alone in its collection,
/// run after the others, so that the children of the test process it checks are its own.
/// </summary>
[Collection(nameof(GitSshProcessOwnershipTests))]
public sealed class GitSshProcessOwnershipTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = TempDirectory.Create("courier-git-ssh");
    private GitServer _server = null!;
    private GitServer _silentServer = null!;
    private readonly List<GitRepository> _repositories = [];
    private GitRepository _silentRepository = null!;

    public async Task InitializeAsync()
    {
        _server = await GitServer.StartAsync();
        // Logs in, reads what git sends and never answers.
        _silentServer = await GitServer.StartAsync(new SshServerOptions { ExtraConfigLines = ["ForceCommand cat >/dev/null"] });
        for (var i = 0; i < 4; i++)
        {
            _repositories.Add(await _server.CreateRepositoryAsync($"repo{i}", "master", new Dictionary<string, string> { ["app.conf"] = $"v{i}" }));
        }

        _silentRepository = await _silentServer.CreateRepositoryAsync("silent");
        Directory.CreateDirectory(_temp.Combine("config", "keys"));
        File.Copy(_server.Ssh.ClientKey.PrivateKeyPath, _temp.Combine("config", "keys", "git.key"));
        File.Copy(_silentServer.Ssh.ClientKey.PrivateKeyPath, _temp.Combine("config", "keys", "silent.key"));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _silentServer.DisposeAsync();
        _temp.Dispose();
    }

    private ISource Create(string url, string key, Action<CourierOptions>? configure = null)
    {
        var json = $$"""{"type": "git", "repositories": ["{{url}}"], "ssh_key": "../keys/{{key}}", "destinations": ["target"]}""";
        var file = _temp.WriteFile($"config/sources/{Guid.NewGuid():N}.json", $"[{json}]");
        var factory = new ServiceCollection()
            .AddCourier(o =>
            {
                o.StateDirectory = _temp.Combine("state");
                o.Ssh.StrictHostKeyChecking = "no";
                configure?.Invoke(o);
            })
            .AddGitSource()
            .Services.BuildServiceProvider()
            .GetServices<ISourceFactory>()
            .Single(f => f.Type == "git");
        using var document = JsonDocument.Parse(json);
        return Assert.Single(factory.Create(new SourceDefinition(document.RootElement.Clone(), file, 0)));
    }

    [Fact]
    public async Task A_git_server_that_logs_in_and_never_answers_costs_the_inactivity_deadline_and_its_ssh_is_ended()
    {
        var source = Create(_silentRepository.SshUrl, "silent.key", o => o.Timeouts.GitInactivity = TimeSpan.FromMilliseconds(500));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => source.PullAsync(CancellationToken.None));

        Assert.Contains("Courier:Timeouts:GitInactivity (00:00:00.5000000)", error.Message, StringComparison.Ordinal);
        AssertNoSshLeft();
    }

    [Fact]
    public async Task The_total_fetch_deadline_ends_a_fetch_even_while_bytes_trickle()
    {
        var source = Create(_silentRepository.SshUrl, "silent.key", o => o.Timeouts.GitFetch = TimeSpan.FromMilliseconds(300));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => source.PullAsync(CancellationToken.None));

        Assert.Contains("Courier:Timeouts:GitFetch", error.Message, StringComparison.Ordinal);
        AssertNoSshLeft();
    }

    [Fact]
    public async Task Five_hundred_fetches_some_cancelled_or_timed_out_leave_no_defunct_child_and_no_running_ssh()
    {
        var healthy = _repositories.Select(repository => Create(repository.SshUrl, "git.key")).ToArray();
        var silent = Create(_silentRepository.SshUrl, "silent.key", o => o.Timeouts.GitInactivity = TimeSpan.FromMilliseconds(200));
        var outcomes = new int[3];

        await Parallel.ForEachAsync(Enumerable.Range(0, 500), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
        {
            if (i % 20 == 0)
            {
                await Assert.ThrowsAsync<InvalidOperationException>(() => silent.PullAsync(CancellationToken.None));
                Interlocked.Increment(ref outcomes[1]);
                return;
            }

            using var cancellation = new CancellationTokenSource();
            if (i % 20 == 1)
            {
                cancellation.CancelAfter(TimeSpan.FromMilliseconds(Random.Shared.Next(0, 150)));
            }

            try
            {
                var snapshot = await healthy[i % healthy.Length].PullAsync(cancellation.Token);
                Assert.Equal($"v{i % healthy.Length}", File.ReadAllText(Path.Combine(snapshot.LocalDirectory, "app.conf")));
                Interlocked.Increment(ref outcomes[0]);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                Interlocked.Increment(ref outcomes[2]);
            }
        });

        Assert.Equal(500, outcomes.Sum());
        Assert.Equal(25, outcomes[1]);
        Assert.True(outcomes[0] >= 450, $"{outcomes[0]} fetches succeeded");
        AssertNoSshLeft();
    }

    private static void AssertNoSshLeft()
    {
        // Every ssh Courier ran for a fetch has been waited for before the pull returned: no wait, no retry here.
        // Only the shared connection to the git server stays, until idle or shutdown (see GitSharedConnectionTests).
        var children = ProcessProbe.Children();
        Assert.DoesNotContain(children, child => child.IsDefunct);
        Assert.DoesNotContain(children, child => child.Name == "ssh" && !child.IsSharedSshConnection);
    }
}

/// <summary>Runs <see cref="GitSshProcessOwnershipTests"/> with no other test at the same time.</summary>
[CollectionDefinition(nameof(GitSshProcessOwnershipTests), DisableParallelization = true)]
public sealed class GitSshProcessOwnershipCollection;
