using System.Text.Json;
using Courier.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Courier.Host.Tests.Rollouts;

/// <summary>
/// Ten real sshd targets of one source, each on its own loopback address (127.0.0.21 to .30) so a health URL's
/// <c>{host}</c> tells them apart, published atomically; and a health server answering 500 for the hosts told to fail.
/// </summary>
internal sealed class RolloutFleet : IAsyncDisposable
{
    private readonly List<SshServer> _targets = [];
    private readonly HashSet<string> _failing = [];
    private TestWebServer _health = null!;

    private RolloutFleet(HermesSetup setup) => Setup = setup;

    public HermesSetup Setup { get; }

    public IReadOnlyList<SshServer> Targets => _targets;

    /// <summary>The targets in the order a rollout delivers to them: by name (<c>HOST:PORT:PATH</c>), ordinal.</summary>
    public IReadOnlyList<SshServer> InRolloutOrder => [.. _targets.OrderBy(t => $"{t.Endpoint}:{PathOf(t)}", StringComparer.Ordinal)];

    public string HealthUrl => $"{_health.BaseUrl}/health/{{host}}";

    public static async Task<RolloutFleet> StartAsync(int count = 10)
    {
        var fleet = new RolloutFleet(await HermesSetup.CreateAsync());
        fleet._health = await TestWebServer.StartAsync(app => app.MapGet("/health/{host}", (string host) => fleet.IsFailing(host) ? Results.StatusCode(500) : Results.Ok("ok")));
        var servers = await Task.WhenAll(Enumerable.Range(0, count).Select(i => SshServer.StartAsync(new SshServerOptions
        {
            ListenAddress = $"127.0.0.{21 + i}",
            ExtraAuthorizedKeys = [fleet.Setup.Target.ClientKey.PublicKey],
        })));
        fleet._targets.AddRange(servers);
        foreach (var target in servers)
        {
            Directory.CreateDirectory(fleet.PathOf(target));
        }

        return fleet;
    }

    public void Fail(SshServer target)
    {
        lock (_failing)
        {
            _failing.Add(target.Host);
        }
    }

    public string PathOf(SshServer target) => Setup.Root.Combine("targets", target.Host);

    public string? Read(SshServer target, string relative) =>
        File.Exists(Path.Combine(PathOf(target), relative)) ? File.ReadAllText(Path.Combine(PathOf(target), relative)) : null;

    /// <summary>The release directory the target's <c>app</c> link names.</summary>
    public string? LiveRelease(SshServer target) => new FileInfo(Path.Combine(PathOf(target), "app")).LinkTarget;

    /// <summary>A hermes-directory source "app" with <paramref name="rollout"/>, to every target, atomically.</summary>
    public void Configure(string rollout)
    {
        Setup.WriteSources("app.json", $$"""[{"type": "hermes-directory", "subdirectory": "app", "destinations": ["fleet"], "rollout": {{rollout}}}]""");
        var entries = _targets.Select(target => Setup.SshDestination(address: target.Endpoint, path: PathOf(target))
            .Replace("{\"type\": \"ssh\",", "{\"type\": \"ssh\", \"publish\": \"atomic\",", StringComparison.Ordinal));
        Setup.WriteDestinations($$"""{"fleet": [{{string.Join(", ", entries)}}]}""");
    }

    public static JsonElement Rollout(JsonElement report) => report.GetProperty("sources")[0].GetProperty("rollout");

    public async ValueTask DisposeAsync()
    {
        foreach (var target in _targets)
        {
            await target.DisposeAsync();
        }

        await _health.DisposeAsync();
        await Setup.DisposeAsync();
    }

    private bool IsFailing(string host)
    {
        lock (_failing)
        {
            return _failing.Contains(host);
        }
    }
}
