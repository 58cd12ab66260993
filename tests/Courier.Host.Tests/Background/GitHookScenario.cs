using System.Net;
using System.Text;
using System.Text.Json;
using Courier.Testing;

namespace Courier.Host.Tests.Background;

/// <summary>
/// Git repositories served over a real sshd, delivered by the published host to one or more watched sshd targets
/// (destination alias <c>courier@sandbox</c>), with GitLab push hooks: what the queue and polling tests share.
/// </summary>
internal sealed class GitHookScenario : IAsyncDisposable
{
    private readonly List<SshServer> _extraTargets = [];

    private GitHookScenario(HermesSetup setup, GitServer git, IReadOnlyList<WatchedTarget> watched)
    {
        Setup = setup;
        Git = git;
        Watched = watched;
    }

    public HermesSetup Setup { get; }

    public GitServer Git { get; }

    /// <summary>The targets, the first being <see cref="HermesSetup.Target"/>.</summary>
    public IReadOnlyList<WatchedTarget> Watched { get; }

    public Dictionary<string, GitRepository> Repositories { get; } = new(StringComparer.Ordinal);

    public static async Task<GitHookScenario> CreateAsync(int targets = 1)
    {
        var watched = Enumerable.Range(0, targets).Select(_ => new WatchedTarget()).ToList();
        var setup = await HermesSetup.CreateAsync(watched[0].SshOptions());
        var scenario = new GitHookScenario(setup, await GitServer.StartAsync(), watched);
        for (var i = 1; i < targets; i++)
        {
            var target = await SshServer.StartAsync(watched[i].SshOptions(setup.Target.ClientKey.PublicKey));
            scenario._extraTargets.Add(target);
        }

        var key = Path.Combine(setup.ConfigDirectory, "keys", "git.key");
        File.Copy(scenario.Git.Ssh.ClientKey.PrivateKeyPath, key);
        var destinations = scenario.Targets.Select((target, index) => setup.SshDestination(target.Endpoint, setup.Root.Combine($"target-{index}")));
        foreach (var index in Enumerable.Range(0, targets))
        {
            Directory.CreateDirectory(setup.Root.Combine($"target-{index}"));
        }

        setup.WriteDestinations($$"""{"courier@sandbox": [{{string.Join(", ", destinations)}}]}""");
        return scenario;
    }

    public IEnumerable<SshServer> Targets => [Setup.Target, .. _extraTargets];

    /// <summary>Creates a repository with <c>app.conf</c> on branch dev and a git source for it (polled when <paramref name="pollInterval"/> is given).</summary>
    public async Task<GitRepository> AddRepositoryAsync(string name, string? pollInterval = null)
    {
        var repository = await Git.CreateRepositoryAsync(name, "dev", new Dictionary<string, string> { ["app.conf"] = $"{name} v0" });
        Repositories[name] = repository;
        var poll = pollInterval is null ? string.Empty : $$""", "poll_interval": {{pollInterval}}""";
        Setup.WriteSources($"{name}.json", $$"""[{"type": "git", "repositories": ["{{repository.SshUrl}}"], "branch": "dev", "ssh_key": "../keys/git.key", "destinations": ["courier@sandbox"]{{poll}}}]""");
        return repository;
    }

    /// <summary>Commits a new <c>app.conf</c> and pushes it; returns the commit.</summary>
    public async Task<string> PushAsync(string name, string content)
    {
        await Repositories[name].WriteFileAsync("app.conf", content);
        return await Repositories[name].CommitAndPushAsync(content, "dev");
    }

    /// <summary>What target <paramref name="index"/> holds of repository <paramref name="name"/>.</summary>
    public string? Delivered(int index, string name)
    {
        var path = Setup.Root.Combine($"target-{index}", name, "app.conf");
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }

    /// <summary>Sends GitLab's push hook for <paramref name="name"/> at <paramref name="after"/>; returns the status and Retry-After.</summary>
    public async Task<(HttpStatusCode Status, TimeSpan? RetryAfter)> SendHookAsync(CourierHostProcess host, string name, string after)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/gitlab_web_hook")
        {
            Content = new StringContent(PushEvent(Repositories[name], after), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Gitlab-Event", "Push Hook");
        using var answer = await host.Client.SendAsync(request);
        return (answer.StatusCode, answer.Headers.RetryAfter?.Delta);
    }

    /// <summary>Sends the hook as a sender that retries on 503 does; returns how many 503 answers it got first.</summary>
    public async Task<int> SendHookUntilAcceptedAsync(CourierHostProcess host, string name, string after)
    {
        for (var refused = 0; ; refused++)
        {
            var (status, retryAfter) = await SendHookAsync(host, name, after);
            if (status != HttpStatusCode.ServiceUnavailable)
            {
                Assert.Equal(HttpStatusCode.Accepted, status);
                return refused;
            }

            Assert.NotNull(retryAfter);
            Assert.True(refused < 600, "the queue never accepted the hook");
            await Task.Delay(100);
        }
    }

    public static async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var target in _extraTargets)
        {
            await target.DisposeAsync();
        }

        await Git.DisposeAsync();
        await Setup.DisposeAsync();
        foreach (var watched in Watched)
        {
            watched.Dispose();
        }
    }

    private string PushEvent(GitRepository repository, string after)
    {
        var sshUrl = repository.SshUrl;
        var httpUrl = $"http://{Git.Ssh.Host}{repository.BarePath}";
        return JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["object_kind"] = "push",
            ["event_name"] = "push",
            ["before"] = "95790bf891e76fee5e1747ab589903a6a1f80f22",
            ["after"] = after,
            ["ref"] = "refs/heads/dev",
            ["checkout_sha"] = after,
            ["project"] = new Dictionary<string, object?> { ["name"] = repository.Name, ["git_ssh_url"] = sshUrl, ["git_http_url"] = httpUrl, ["url"] = sshUrl, ["ssh_url"] = sshUrl, ["http_url"] = httpUrl },
            ["repository"] = new Dictionary<string, object?> { ["name"] = repository.Name, ["url"] = sshUrl, ["git_http_url"] = httpUrl, ["git_ssh_url"] = sshUrl },
            ["commits"] = new[] { new Dictionary<string, object?> { ["id"] = after, ["message"] = "update" } },
            ["total_commits_count"] = 1,
        });
    }
}
