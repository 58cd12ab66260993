using System.Text.Json;
using Courier.Testing;

namespace Courier.Cluster.Etcd.Tests;

/// <summary>
/// What the host-level tests share: one Hermes configuration (a hermes-directory source <c>app</c> delivered to a real
/// sshd target), one hermes directory, and real Courier hosts started on it as cluster members.
/// </summary>
public sealed class ClusterSite : IAsyncDisposable
{
    private ClusterSite(TempDirectory root, SshServer target)
    {
        Root = root;
        Target = target;
    }

    public TempDirectory Root { get; }

    public SshServer Target { get; }

    public string TargetDirectory => Root.Combine("target");

    /// <summary>The delivered file as the target's readers see it (through the release link, with atomic publish).</summary>
    public string? Delivered => File.Exists(Path.Combine(TargetDirectory, "app", "settings.json")) ? File.ReadAllText(Path.Combine(TargetDirectory, "app", "settings.json")) : null;

    /// <summary>
    /// The configuration with the source <c>app</c>; <paramref name="validate"/> is its validation command, if any,
    /// <paramref name="atomic"/> publishes the target atomically, <paramref name="server"/> configures its sshd.
    /// </summary>
    public static async Task<ClusterSite> CreateAsync(IReadOnlyList<string>? validate = null, bool atomic = false, Func<TempDirectory, SshServerOptions>? server = null)
    {
        var root = TempDirectory.Create("courier-cluster-site");
        var site = new ClusterSite(root, await SshServer.StartAsync(server?.Invoke(root)));
        var key = root.Combine("config", "keys", "courier.key");
        Directory.CreateDirectory(Path.GetDirectoryName(key)!);
        File.Copy(site.Target.ClientKey.PrivateKeyPath, key);
        Directory.CreateDirectory(site.TargetDirectory);
        root.WriteFile("hermes/app/settings.json", "{\"version\": 1}");
        var source = new Dictionary<string, object> { ["type"] = "hermes-directory", ["subdirectory"] = "app", ["destinations"] = new[] { "target" } };
        if (validate is not null)
        {
            source["validate"] = new object[] { validate };
        }

        root.WriteFile("config/sources/app.json", JsonSerializer.Serialize(new object[] { source }));
        root.WriteFile("config/destinations.json", JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["target"] = new Dictionary<string, object>
            {
                ["type"] = "ssh",
                ["address"] = site.Target.Endpoint,
                ["path"] = site.TargetDirectory,
                ["ssh"] = new Dictionary<string, object> { ["user"] = site.Target.User, ["key"] = "keys/courier.key", ["sudo"] = false },
                ["publish"] = atomic ? "atomic" : "in-place",
            },
        }));
        return site;
    }

    /// <summary>Starts a host that is member <paramref name="member"/> of cluster <paramref name="cluster"/> on <paramref name="endpoints"/>.</summary>
    public Task<CourierHostProcess> StartHostAsync(string member, string cluster, IEnumerable<string> endpoints, IDictionary<string, string>? settings = null)
    {
        var all = new Dictionary<string, string>
        {
            ["Courier:Cluster:Etcd:Endpoints"] = string.Join(",", endpoints),
            ["Courier:Cluster:Name"] = cluster,
            ["Courier:Cluster:MemberName"] = member,
            ["Courier:Cluster:LeaseTtl"] = "00:00:03",
            ["Courier:Cluster:Etcd:Timeout"] = "00:00:02",
            ["Courier:Ssh:StrictHostKeyChecking"] = "accept-new",
            ["Courier:Ssh:User"] = Target.User,
            ["Courier:Ssh:Key"] = "keys/courier.key",
            ["Courier:Ssh:Sudo"] = "false",
            ["Courier:UpdateHermes:AllowedPaths:0"] = Root.Path,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        return CourierHostProcess.StartAsync(new CourierHostProcessOptions
        {
            ConfigPath = Root.Combine("config"),
            HermesDirectory = Root.Combine("hermes"),
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
