using Courier.Testing;

namespace Courier.Host.Tests;

/// <summary>
/// A Hermes configuration, a hermes directory and a real sshd target for one test: what an operator sets up for
/// a Courier host.
/// </summary>
internal sealed class HermesSetup : IAsyncDisposable
{
    private HermesSetup(TempDirectory root, SshServer target)
    {
        Root = root;
        Target = target;
    }

    public TempDirectory Root { get; }

    public SshServer Target { get; }

    public string ConfigDirectory => Root.Combine("config");

    public string HermesDirectory => Root.Combine("hermes");

    public string StateDirectory => Root.Combine("state");

    /// <summary>The hermes path on the target machine.</summary>
    public string TargetDirectory => Root.Combine("target");

    /// <summary>The client key, copied into the configuration as keys/courier.key (readable by others, as keys often arrive).</summary>
    public string KeyPath => Root.Combine("config", "keys", "courier.key");

    public static async Task<HermesSetup> CreateAsync(SshServerOptions? targetOptions = null)
    {
        var root = TempDirectory.Create("courier-host");
        var target = await SshServer.StartAsync(targetOptions);
        var setup = new HermesSetup(root, target);
        Directory.CreateDirectory(setup.HermesDirectory);
        Directory.CreateDirectory(setup.TargetDirectory);
        Directory.CreateDirectory(Path.GetDirectoryName(setup.KeyPath)!);
        File.Copy(target.ClientKey.PrivateKeyPath, setup.KeyPath);
        File.SetUnixFileMode(setup.KeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        return setup;
    }

    public string SshDestination(string? address = null, string? path = null) =>
        $$$"""{"type": "ssh", "address": "{{{address ?? Target.Endpoint}}}", "path": "{{{path ?? TargetDirectory}}}", "ssh": {"user": "{{{Target.User}}}", "key": "keys/courier.key", "sudo": false}}""";

    public void WriteHermesFile(string relativePath, string content) => Root.WriteFile(Path.Combine("hermes", relativePath), content);

    public void WriteSources(string fileName, string json) => Root.WriteFile(Path.Combine("config", "sources", fileName), json);

    public void WriteDestinations(string json) => Root.WriteFile(Path.Combine("config", "destinations.json"), json);

    public string? ReadTarget(string relativePath)
    {
        var path = Path.Combine(TargetDirectory, relativePath);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }

    public Task<CourierHostProcess> StartHostAsync(IDictionary<string, string>? settings = null, bool updateAllOnStart = false)
    {
        // Agents' hermes paths live in the test's temporary directory, not /etc/opt.
        var all = TestHostSettings.For(Target.User, Root.Path, settings);
        return CourierHostProcess.StartAsync(new CourierHostProcessOptions
        {
            ConfigPath = ConfigDirectory,
            HermesDirectory = HermesDirectory,
            StateDirectory = StateDirectory,
            SshAddress = "127.0.0.1:2222",
            UpdateAllOnStart = updateAllOnStart,
            Settings = all,
        });
    }

    public async ValueTask DisposeAsync()
    {
        await Target.DisposeAsync();
        Root.Dispose();
    }
}
