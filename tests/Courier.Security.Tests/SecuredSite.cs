using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Courier.Testing;

namespace Courier.Security.Tests;

/// <summary>
/// A Courier host in a network namespace of its own, reachable from two other namespaces: a caller on a public
/// address (203.0.113.50, a documentation range) and an Armada agent on the cluster's private network
/// (192.168.77.2). The host listens on 8080 on each of its addresses and on a dual-stack [::]:8081 (where IPv4 callers appear as
/// ::ffff:a.b.c.d). A real sshd in the host's namespace is the legitimate target; another on the public side
/// stands for an attacker's machine.
/// </summary>
public sealed class SecuredSite : IAsyncLifetime
{
    public const string HostPublicAddress = "203.0.113.1";
    public const string PublicCallerAddress = "203.0.113.50";
    public const string HostPrivateAddress = "192.168.77.1";
    public const string AgentAddress = "192.168.77.2";
    public const string Token = "ci-token-0123456789abcdef";
    public const string GitHubSecret = "github-secret-It's a Secret to Everybody";
    public const string GiteaSecret = "gitea-secret-9876543210";
    public const string GitLabSigningKey = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private readonly List<IAsyncDisposable> _cleanup = [];

    public TempDirectory Root { get; } = TempDirectory.Create("courier-sec");

    public NetworkNamespace HostNet { get; private set; } = null!;

    public NetworkNamespace PublicNet { get; private set; } = null!;

    public NetworkNamespace AgentNet { get; private set; } = null!;

    /// <summary>The legitimate target: an sshd beside the host.</summary>
    public SshServer Target { get; private set; } = null!;

    /// <summary>The attacker's sshd on the public side; nothing may ever reach <see cref="StolenDirectory"/>.</summary>
    public SshServer Attacker { get; private set; } = null!;

    public CourierHostProcess Host { get; private set; } = null!;

    public string ConfigDirectory => Root.Combine("config");

    public string HermesDirectory => Root.Combine("hermes");

    /// <summary>An allowed /update_hermes path (Courier:UpdateHermes:AllowedPaths holds the test root).</summary>
    public string AgentDirectory => Root.Combine("agent", "etc-opt");

    public string StolenDirectory => Root.Combine("stolen");

    public string KeyPath => Root.Combine("config", "keys", "courier.key");

    public async Task InitializeAsync()
    {
        var prefix = $"sec{Environment.ProcessId % 10000}{Random.Shared.Next(100)}";
        HostNet = await Track(NetworkNamespace.CreateAsync($"{prefix}h"));
        PublicNet = await Track(NetworkNamespace.CreateAsync($"{prefix}p"));
        AgentNet = await Track(NetworkNamespace.CreateAsync($"{prefix}a"));
        await NetworkNamespace.ConnectAsync(HostNet, $"{HostPublicAddress}/24", PublicNet, $"{PublicCallerAddress}/24");
        await NetworkNamespace.ConnectAsync(HostNet, $"{HostPrivateAddress}/24", AgentNet, $"{AgentAddress}/24");

        Target = await Track(SshServer.StartAsync(new SshServerOptions { ListenAddress = "127.0.0.1", Port = 22, NetworkNamespace = HostNet.Name }));
        Attacker = await Track(SshServer.StartAsync(new SshServerOptions
        {
            ListenAddress = PublicCallerAddress, Port = 22, NetworkNamespace = PublicNet.Name, ExtraAuthorizedKeys = [Target.ClientKey.PublicKey],
        }));

        Directory.CreateDirectory(HermesDirectory);
        Directory.CreateDirectory(AgentDirectory);
        Directory.CreateDirectory(StolenDirectory);
        Directory.CreateDirectory(Path.GetDirectoryName(KeyPath)!);
        File.Copy(Target.ClientKey.PrivateKeyPath, KeyPath);
        File.SetUnixFileMode(KeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        WriteHermesFile("secrets/db.conf", "password=hunter2");
        Root.WriteFile("config/sources/all.json", """[{"type": "hermes-directory", "subdirectory": "secrets", "destinations": ["nowhere"]}]""");
        Root.WriteFile("config/destinations.json", "{}");
        Host = await StartHostAsync(new Dictionary<string, string>
        {
            ["Courier:Api:Tokens:ci"] = Token,
            ["Courier:WebHooks:GitHubSecret"] = GitHubSecret,
            ["Courier:WebHooks:GiteaSecret"] = GiteaSecret,
            ["Courier:WebHooks:GitLabSigningKey"] = GitLabSigningKey,
        });
    }

    public void WriteHermesFile(string relativePath, string content) => Root.WriteFile(Path.Combine("hermes", relativePath), content);

    /// <summary>Starts a host in the host namespace (port 8080, dual-stack 8081, or the given ports).</summary>
    public async Task<CourierHostProcess> StartHostAsync(
        IReadOnlyDictionary<string, string> settings, int port = 8080, int dualStackPort = 8081, string? configDirectory = null, string? hermesDirectory = null)
    {
        var all = TestHostSettings.For(Target.User, Root.Path, settings);
        return await Track(StartHostProcessAsync(all, port, dualStackPort, configDirectory, hermesDirectory));
    }

    private Task<CourierHostProcess> StartHostProcessAsync(Dictionary<string, string> all, int port, int dualStackPort, string? configDirectory, string? hermesDirectory)
    {
        return CourierHostProcess.StartAsync(new CourierHostProcessOptions
        {
            ConfigPath = configDirectory ?? ConfigDirectory,
            HermesDirectory = hermesDirectory ?? HermesDirectory,
            StateDirectory = Root.Combine($"state-{port}"),
            SshAddress = $"{HostPrivateAddress}:22",
            Settings = all,
            ListenAddress = "127.0.0.1",
            Port = port,
            AdditionalUrls = [$"http://{HostPublicAddress}:{port}", $"http://{HostPrivateAddress}:{port}", $"http://[::]:{dualStackPort}"],
            NetworkNamespace = HostNet,
        });
    }

    /// <summary>A client in the public namespace, talking to the host over its IPv4 socket or its dual-stack one.</summary>
    public HttpClient PublicClient(bool dualStack = false, int port = 8080) =>
        PublicNet.CreateHttpClient(new Uri($"http://{HostPublicAddress}:{(dualStack ? port + 1 : port)}"), TimeSpan.FromSeconds(60));

    /// <summary>A client in the agent's (private) namespace.</summary>
    public HttpClient AgentClient(bool dualStack = false, int port = 8080) =>
        AgentNet.CreateHttpClient(new Uri($"http://{HostPrivateAddress}:{(dualStack ? port + 1 : port)}"), TimeSpan.FromSeconds(60));

    public static async Task<(HttpStatusCode Status, string Body)> SendAsync(
        HttpClient client, string path, string? json = null, string? bearer = null, IEnumerable<(string Name, string Value)>? headers = null, HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Post, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task DisposeAsync()
    {
        for (var i = _cleanup.Count - 1; i >= 0; i--)
        {
            await _cleanup[i].DisposeAsync();
        }

        Root.Dispose();
    }

    private async Task<T> Track<T>(Task<T> creating)
        where T : IAsyncDisposable
    {
        var created = await creating;
        _cleanup.Add(created);
        return created;
    }
}
