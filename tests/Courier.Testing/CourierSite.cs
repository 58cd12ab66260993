namespace Courier.Testing;

/// <summary>How to make a <see cref="CourierSite"/>.</summary>
public sealed class CourierSiteOptions
{
    /// <summary>A name for logs and folders (office, production, ...).</summary>
    public required string Name { get; init; }

    /// <summary>The key every machine of the test accepts; the site's Courier logs in with it.</summary>
    public required SshKeyPair FleetKey { get; init; }

    /// <summary>The network namespace the site lives in, if any.</summary>
    public NetworkNamespace? NetworkNamespace { get; init; }

    /// <summary>The site's address (loopback unless it lives in a namespace).</summary>
    public string Address { get; init; } = "127.0.0.1";

    /// <summary>A hermes directory shared with other sites (one datacenter's Couriers behind one address); the site's own when not set.</summary>
    public string? HermesDirectory { get; init; }

    /// <summary>The sshd's host key, shared by the sites behind one address; a new one when not set.</summary>
    public SshKeyPair? HostKey { get; init; }
}

/// <summary>
/// A machine running a Courier: its sshd (where other Couriers push its hermes directory), its Hermes
/// configuration folder with the fleet key as keys/courier.key, its hermes and state directories, and the host
/// process once started.
/// </summary>
public sealed class CourierSite : IAsyncDisposable
{
    private readonly CourierSiteOptions _options;

    private CourierSite(CourierSiteOptions options, TempDirectory root, SshServer sshd)
    {
        _options = options;
        Root = root;
        Sshd = sshd;
    }

    /// <summary>The site's name (a datacenter, say), as the options give it.</summary>
    public string Name => _options.Name;

    /// <summary>The site's own temporary directory, holding config/, hermes/ and state/; removed with the site.</summary>
    public TempDirectory Root { get; }

    /// <summary>The site's sshd: its hermes address is <c>Sshd.Endpoint</c> and <see cref="HermesDirectory"/>.</summary>
    public SshServer Sshd { get; }

    /// <summary>The site's Courier host once started, else null.</summary>
    public CourierHostProcess? Host { get; private set; }

    /// <summary>The site's CONFIG_PATH directory (sources/, destinations.json, keys).</summary>
    public string ConfigDirectory => Root.Combine("config");

    /// <summary>The site's hermes directory, where its sshd receives deliveries.</summary>
    public string HermesDirectory => _options.HermesDirectory ?? Root.Combine("hermes");

    /// <summary>The site's Courier state directory.</summary>
    public string StateDirectory => Root.Combine("state");

    /// <summary>Makes the site's directories and starts its sshd (the host is started separately).</summary>
    public static async Task<CourierSite> CreateAsync(CourierSiteOptions options)
    {
        var root = TempDirectory.Create($"courier-{options.Name}");
        try
        {
            var sshd = await SshServer.StartAsync(new SshServerOptions
            {
                ListenAddress = options.Address,
                NetworkNamespace = options.NetworkNamespace?.Name,
                Port = options.NetworkNamespace is null ? null : 22,
                ExtraAuthorizedKeys = [options.FleetKey.PublicKey],
                HostKey = options.HostKey,
            });
            var site = new CourierSite(options, root, sshd);
            Directory.CreateDirectory(site.HermesDirectory);
            Directory.CreateDirectory(site.StateDirectory);
            Directory.CreateDirectory(Path.Combine(site.ConfigDirectory, "keys"));
            File.Copy(options.FleetKey.PrivateKeyPath, Path.Combine(site.ConfigDirectory, "keys", "courier.key"));
            return site;
        }
        catch
        {
            root.Dispose();
            throw;
        }
    }

    /// <summary>Writes <c>config/sources/FILE</c>; returns its full path.</summary>
    public string WriteSources(string fileName, string json) => Root.WriteFile(Path.Combine("config", "sources", fileName), json);

    /// <summary>Writes <c>config/destinations.json</c>; returns its full path.</summary>
    public string WriteDestinations(string json) => Root.WriteFile(Path.Combine("config", "destinations.json"), json);

    /// <summary>Writes a file below the hermes directory; returns its full path.</summary>
    public string WriteHermesFile(string relativePath, string content)
    {
        var path = Path.Combine(HermesDirectory, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>The text of a file below the hermes directory, or null when it does not exist.</summary>
    public string? ReadHermesFile(string relativePath)
    {
        var path = Path.Combine(HermesDirectory, relativePath);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }

    /// <summary>Starts the site's Courier, logging in everywhere as the test user with keys/courier.key, without sudo.</summary>
    public async Task<CourierHostProcess> StartHostAsync(IReadOnlyDictionary<string, string>? settings = null, int? port = null)
    {
        var all = TestHostSettings.For(Sshd.User, overrides: new Dictionary<string, string>
        {
            // The sites' networks use documentation ranges standing in for the datacenters' private networks.
            ["Courier:Api:AllowedNetworks:0"] = "127.0.0.0/8",
            ["Courier:Api:AllowedNetworks:1"] = "198.51.100.0/24",
            ["Courier:Api:AllowedNetworks:2"] = "203.0.113.0/24",
            ["Courier:UpdateHermes:AllowedTargets:0"] = "127.0.0.0/8",
            ["Courier:UpdateHermes:AllowedTargets:1"] = "198.51.100.0/24",
            ["Courier:UpdateHermes:AllowedTargets:2"] = "203.0.113.0/24",
        }.Concat(settings ?? new Dictionary<string, string>()));

        Host = await CourierHostProcess.StartAsync(new CourierHostProcessOptions
        {
            ConfigPath = ConfigDirectory,
            HermesDirectory = HermesDirectory,
            StateDirectory = StateDirectory,
            SshAddress = Sshd.Endpoint,
            Settings = all,
            ListenAddress = _options.Address,
            Port = port ?? (_options.NetworkNamespace is null ? null : 8080),
            NetworkNamespace = _options.NetworkNamespace,
        });
        return Host;
    }

    /// <summary>A destination of type ssh for this site's hermes address, logging in as the fleet does.</summary>
    public string SshDestinationJson(string? path = null) =>
        $$$"""{"type": "ssh", "address": "{{{Sshd.Endpoint}}}", "path": "{{{path ?? HermesDirectory}}}", "ssh": {"user": "{{{Sshd.User}}}", "key": "keys/courier.key", "sudo": false}}""";

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }

        await Sshd.DisposeAsync();
        Root.Dispose();
    }
}
