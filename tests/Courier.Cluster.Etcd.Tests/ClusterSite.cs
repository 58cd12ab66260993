using System.Text.Json;
using Courier.Testing;

namespace Courier.Cluster.Etcd.Tests;

/// <summary>
/// What the host-level tests share: one Hermes configuration (a hermes-directory source <c>app</c> delivered to a real
/// sshd target), one hermes directory, and real Courier hosts started on it as cluster members.
/// </summary>
public sealed class ClusterSite : IAsyncDisposable
{
    private bool _atomic;
    private IReadOnlyList<string>? _validate;

    private ClusterSite(TempDirectory root, SshServer target)
    {
        Root = root;
        Target = target;
    }

    public TempDirectory Root { get; }

    public SshServer Target { get; }

    public string TargetDirectory => Root.Combine("target");

    /// <summary>The delivered file as the target's readers see it (through the release link, with atomic publish).</summary>
    public string? Delivered => DeliveredTo(1);

    /// <summary>The destination alias of target <paramref name="number"/> (from 1): <c>target</c>, <c>target-2</c>, ...</summary>
    public static string AliasOf(int number) => number == 1 ? "target" : $"target-{number}";

    /// <summary>The delivered file at target <paramref name="number"/> (from 1), or null.</summary>
    public string? DeliveredTo(int number)
    {
        var file = Path.Combine(Root.Combine(AliasOf(number)), "app", "settings.json");
        return File.Exists(file) ? File.ReadAllText(file) : null;
    }

    /// <summary>
    /// The configuration with the source <c>app</c>; <paramref name="validate"/> is its validation command, if any,
    /// <paramref name="atomic"/> publishes the target atomically, <paramref name="server"/> configures its sshd.
    /// <paramref name="targets"/> destinations on that sshd (<see cref="AliasOf"/>), each its own directory, and
    /// <paramref name="rollout"/> the source's <c>"rollout"</c>.
    /// </summary>
    public static async Task<ClusterSite> CreateAsync(IReadOnlyList<string>? validate = null, bool atomic = false, Func<TempDirectory, SshServerOptions>? server = null, int targets = 1, object? rollout = null)
    {
        var root = TempDirectory.Create("courier-cluster-site");
        var site = new ClusterSite(root, await SshServer.StartAsync(server?.Invoke(root)));
        var key = root.Combine("config", "keys", "courier.key");
        Directory.CreateDirectory(Path.GetDirectoryName(key)!);
        File.Copy(site.Target.ClientKey.PrivateKeyPath, key);
        root.WriteFile("hermes/app/settings.json", "{\"version\": 1}");
        root.WriteFile("not-a-directory", "a regular file");
        site._atomic = atomic;
        site._validate = validate;
        site.WriteSource([.. Enumerable.Range(1, targets).Select(AliasOf)], rollout);
        site.WriteDestinations(targets, []);
        return site;
    }

    /// <summary>Writes the source <c>app</c>, delivered to <paramref name="aliases"/> in that order (the order of its rollout's waves).</summary>
    public void WriteSource(IReadOnlyList<string> aliases, object? rollout = null)
    {
        var source = new Dictionary<string, object> { ["type"] = "hermes-directory", ["subdirectory"] = "app", ["destinations"] = aliases };
        if (_validate is not null)
        {
            source["validate"] = new object[] { _validate };
        }

        if (rollout is not null)
        {
            source["rollout"] = rollout;
        }

        Root.WriteFile("config/sources/app.json", JsonSerializer.Serialize(new object[] { source }));
    }

    /// <summary>Writes <paramref name="targets"/> destinations on the sshd; those numbered in <paramref name="broken"/> fail every delivery.</summary>
    public void WriteDestinations(int targets, IReadOnlyCollection<int> broken)
    {
        var destinations = new Dictionary<string, object>();
        for (var number = 1; number <= targets; number++)
        {
            var path = broken.Contains(number) ? Root.Combine("not-a-directory", AliasOf(number)) : Root.Combine(AliasOf(number));
            if (!broken.Contains(number))
            {
                Directory.CreateDirectory(path);
            }

            destinations[AliasOf(number)] = new Dictionary<string, object>
            {
                ["type"] = "ssh",
                ["address"] = Target.Endpoint,
                ["path"] = path,
                ["ssh"] = new Dictionary<string, object> { ["user"] = Target.User, ["key"] = "keys/courier.key", ["sudo"] = false },
                ["publish"] = _atomic ? "atomic" : "in-place",
            };
        }

        Root.WriteFile("config/destinations.json", JsonSerializer.Serialize(destinations));
    }

    /// <summary>
    /// Starts a host that is member <paramref name="member"/> of cluster <paramref name="cluster"/> on <paramref name="endpoints"/>,
    /// reading the site's hermes directory unless <paramref name="hermesDirectory"/> names its own.
    /// </summary>
    public Task<CourierHostProcess> StartHostAsync(string member, string cluster, IEnumerable<string> endpoints, IDictionary<string, string>? settings = null, string? hermesDirectory = null)
    {
        var all = TestHostSettings.For(Target.User, Root.Path, new Dictionary<string, string>
        {
            ["Courier:Cluster:Etcd:Endpoints"] = string.Join(",", endpoints),
            ["Courier:Cluster:Name"] = cluster,
            ["Courier:Cluster:MemberName"] = member,
            ["Courier:Cluster:LeaseTtl"] = "00:00:03",
            ["Courier:Cluster:Etcd:Timeout"] = "00:00:02",
        }.Concat(settings ?? new Dictionary<string, string>()));

        return CourierHostProcess.StartAsync(new CourierHostProcessOptions
        {
            ConfigPath = Root.Combine("config"),
            HermesDirectory = hermesDirectory ?? Root.Combine("hermes"),
            StateDirectory = Root.Combine($"state-{member}"),
            Settings = all,
        });
    }

    /// <summary>GETs <paramref name="path"/> as JSON; returns the status code and the parsed body.</summary>
    public static async Task<(int Status, JsonElement Body)> GetJsonAsync(CourierHostProcess host, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new System.Net.Http.Headers.MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await host.Client.SendAsync(request);
        return ((int)response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    public async ValueTask DisposeAsync()
    {
        await Target.DisposeAsync();
        Root.Dispose();
    }
}
