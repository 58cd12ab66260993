using System.Text.Json;
using Courier.Testing;

namespace Courier.Faults.Tests;

/// <summary>
/// A real Courier host with a hermes-directory source and a real sshd target, short deadlines, and a check that the
/// host leaves no child process running or defunct after each test.
/// </summary>
public sealed class FaultSite : IAsyncDisposable
{
    private FaultSite(TempDirectory root, SshServer target)
    {
        Root = root;
        Target = target;
    }

    public TempDirectory Root { get; }

    public SshServer Target { get; }

    public CourierHostProcess Host { get; private set; } = null!;

    public string TargetDirectory => Root.Combine("target");

    /// <summary>Deadlines short enough for tests.</summary>
    public static Dictionary<string, string> ShortDeadlines() => new(StringComparer.Ordinal)
    {
        ["Courier:Timeouts:RsyncIo"] = "00:00:05",
        ["Courier:Timeouts:RemoteForward"] = "00:00:02",
        ["Courier:Timeouts:GitInactivity"] = "00:00:02",
        ["Courier:Timeouts:Update"] = "00:01:00",
        ["Courier:Retries:Attempts"] = "2",
        ["Courier:Retries:Delay"] = "00:00:00.100",
        ["Courier:Retries:MaxDelay"] = "00:00:00.200",
    };

    public static async Task<FaultSite> CreateAsync()
    {
        var root = TempDirectory.Create("courier-faults");
        var site = new FaultSite(root, await SshServer.StartAsync());
        Directory.CreateDirectory(root.Combine("hermes", "app"));
        Directory.CreateDirectory(site.TargetDirectory);
        Directory.CreateDirectory(root.Combine("config", "keys"));
        File.Copy(site.Target.ClientKey.PrivateKeyPath, root.Combine("config", "keys", "courier.key"));
        root.WriteFile("hermes/app/app.conf", "v1");
        root.WriteFile("config/sources/app.json", """[{"type": "hermes-directory", "subdirectory": "app", "destinations": ["targets"]}]""");
        return site;
    }

    /// <summary>An ssh destination object for <paramref name="server"/> (this site's target by default).</summary>
    public string SshDestination(SshServer? server = null, string? path = null) =>
        SshDestinationAt((server ?? Target).Endpoint, path, KeyFor(server));

    /// <summary>An ssh destination object for whatever listens at <paramref name="endpoint"/>, logging in with the site's key.</summary>
    public string SshDestinationAt(string endpoint, string? path = null, string key = "courier.key") =>
        $$$"""{"type": "ssh", "address": "{{{endpoint}}}", "path": "{{{path ?? TargetDirectory}}}", "ssh": {"user": "{{{Target.User}}}", "key": "keys/{{{key}}}", "sudo": false}}""";

    public void WriteDestinations(params string[] destinations) =>
        Root.WriteFile("config/destinations.json", $$"""{"targets": [{{string.Join(", ", destinations)}}]}""");

    /// <summary>Starts the host with the short deadlines, <paramref name="settings"/> over them, and ssh connections shared or not.</summary>
    public async Task StartHostAsync(IDictionary<string, string>? settings = null, bool reuseConnections = true)
    {
        var all = ShortDeadlines();
        all["Courier:Ssh:StrictHostKeyChecking"] = "no";
        all["Courier:Ssh:ReuseConnections"] = reuseConnections ? "true" : "false";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        Host = await CourierHostProcess.StartAsync(new CourierHostProcessOptions
        {
            ConfigPath = Root.Combine("config"),
            HermesDirectory = Root.Combine("hermes"),
            StateDirectory = Root.Combine("state"),
            SshAddress = "127.0.0.1:2222",
            Settings = all,
        });
    }

    /// <summary>Runs <c>/update_all</c> and returns every delivery of the report.</summary>
    public async Task<IReadOnlyList<JsonElement>> UpdateAllAsync() =>
        [.. (await UpdateAllReportAsync()).GetProperty("sources").EnumerateArray()
            .SelectMany(source => source.GetProperty("destinations").EnumerateArray())
            .SelectMany(destination => destination.GetProperty("deliveries").EnumerateArray())];

    /// <summary>Runs <c>/update_all</c> and returns its JSON report.</summary>
    public async Task<JsonElement> UpdateAllReportAsync()
    {
        var (_, body) = await Host.PostAsync("/update_all", acceptJson: true);
        using var report = JsonDocument.Parse(body);
        return report.RootElement.Clone();
    }

    /// <summary>
    /// Nothing the host started for a step is still running or defunct: only its shared ssh connections stay, at
    /// most one per target (they end when idle or at shutdown, see the shared connection tests).
    /// </summary>
    public async Task AssertHostLeftNoProcessAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        IReadOnlyList<ChildProcess> children;
        var shared = ProcessProbe.Children(Host.ProcessId).Where(c => c.IsSharedSshConnection).ToList();
        var perTarget = shared.GroupBy(c => System.Text.RegularExpressions.Regex.Match(c.CommandLine, @" -p (\d+) ").Value).Where(g => g.Count() > 1).ToList();
        Assert.True(perTarget.Count == 0, "more than one shared ssh connection to a target: " + string.Join("; ", perTarget.SelectMany(g => g).Select(c => c.CommandLine)));
        while ((children = [.. ProcessProbe.Children(Host.ProcessId).Where(c => !c.IsSharedSshConnection)]).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.True(children.Count == 0, "the host left: " + string.Join("; ", children.Select(c => $"{c.Pid} {c.Name} {c.State} {c.CommandLine}")));

        // Nor anything that outlived its parent: an ssh session through a shared connection, or an rsync of the host's.
        IReadOnlyList<string> orphans;
        while ((orphans = Orphans()).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.True(orphans.Count == 0, "left running: " + string.Join("; ", orphans));
    }

    /// <summary>The host's ssh sessions (they name its socket directory) and rsync clients (they name this site) still running.</summary>
    private IReadOnlyList<string> Orphans() =>
        [.. ProcessProbe.Find(Root.Combine("state", "ssh")).Where(line => !line.Contains("ControlMaster=yes", StringComparison.Ordinal)),
         .. ProcessProbe.Find("--rsh=").Where(line => line.Contains(Root.Path, StringComparison.Ordinal))];

    /// <summary>The host's shared ssh connections (masters) to <paramref name="port"/>.</summary>
    public IReadOnlyList<ChildProcess> SharedConnectionsTo(int port) =>
        [.. ProcessProbe.Children(Host.ProcessId).Where(c => c.IsSharedSshConnection && c.CommandLine.Contains($" -p {port} ", StringComparison.Ordinal))];

    private string KeyFor(SshServer? server)
    {
        if (server is null || server == Target)
        {
            return "courier.key";
        }

        var name = $"server-{server.Port}.key";
        if (!File.Exists(Root.Combine("config", "keys", name)))
        {
            File.Copy(server.ClientKey.PrivateKeyPath, Root.Combine("config", "keys", name));
        }

        return name;
    }

    public async ValueTask DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        await Target.DisposeAsync();
        Root.Dispose();
    }
}
