using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;

namespace Courier.Testing;

/// <summary>How to start a <see cref="CourierHostProcess"/>.</summary>
public sealed class CourierHostProcessOptions
{
    /// <summary>CONFIG_PATH (directories separated by ':').</summary>
    public required string ConfigPath { get; init; }

    /// <summary>Courier:HermesDirectory, the local hermes directory.</summary>
    public required string HermesDirectory { get; init; }

    /// <summary>Courier:StateDirectory (git caches, snapshots, reports).</summary>
    public required string StateDirectory { get; init; }

    /// <summary>Courier:SshAddress, the SSH address other Couriers push to.</summary>
    public string? SshAddress { get; init; }

    /// <summary>Courier:UpdateAllOnStart: whether the host updates every source once it has started.</summary>
    public bool UpdateAllOnStart { get; init; }

    /// <summary>More settings, by configuration key (<c>Courier:Ssh:User</c>); passed as environment variables.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>The address to listen on; loopback unless the host runs in a namespace.</summary>
    public string ListenAddress { get; init; } = "127.0.0.1";

    /// <summary>The HTTP port, or null for a free one.</summary>
    public int? Port { get; init; }

    /// <summary>More URLs to listen on (e.g. <c>http://[::]:8081</c>, a dual-stack socket that sees IPv4 callers as <c>::ffff:a.b.c.d</c>).</summary>
    public IReadOnlyList<string> AdditionalUrls { get; init; } = [];

    /// <summary>The network namespace the host runs in, or null for this machine's own network.</summary>
    public NetworkNamespace? NetworkNamespace { get; init; }

    /// <summary>Where Courier.Host.dll is; the build output beside this solution when not set.</summary>
    public string? HostPath { get; init; }
}

/// <summary>
/// The real Courier host, started as its own process from its build output (with the built-in plugins in its
/// plugins/ folder), reached over real HTTP.
/// </summary>
public sealed class CourierHostProcess : IAsyncDisposable
{
    private readonly BackgroundProcess _process;

    private CourierHostProcess(BackgroundProcess process, string address, HttpClient client)
    {
        _process = process;
        Address = address;
        Client = client;
    }

    /// <summary>
    /// The folder of the Courier.Host the kit starts (its <c>Courier.Host.dll</c>, with plugins/):
    /// <c>COURIER_HOST_DIRECTORY</c> when set (a kit used outside this repository: a host installed or built
    /// elsewhere), else the host built beside this kit; <see cref="CourierHostProcessOptions.HostPath"/> overrides it
    /// per host.
    /// </summary>
    public static string HostDirectory { get; } =
        Environment.GetEnvironmentVariable("COURIER_HOST_DIRECTORY") is { Length: > 0 } chosen
            ? chosen
            : typeof(CourierHostProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "CourierHostDirectory").Value!;

    /// <summary><c>IP:PORT</c> of the HTTP API, as a courier-remote destination names it.</summary>
    public string Address { get; }

    /// <summary><c>http://IP:PORT</c> of the HTTP API.</summary>
    public string BaseUrl => $"http://{Address}";

    /// <summary>An HttpClient for the API (opening its connections inside the host's namespace when it has one).</summary>
    public HttpClient Client { get; }

    /// <summary>Everything the host logged so far.</summary>
    public string Logs => _process.Output;

    /// <summary>Whether the host process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The host's process id: its children are the processes it started.</summary>
    public int ProcessId => _process.ProcessId;

    /// <summary>Starts the host and waits until <c>/health</c> answers; throws with the host's logs when it exits or never answers.</summary>
    public static async Task<CourierHostProcess> StartAsync(CourierHostProcessOptions options)
    {
        var port = options.Port ?? FreePort.Next();
        var address = $"{options.ListenAddress}:{port}";
        var environment = new Dictionary<string, string?>
        {
            ["CONFIG_PATH"] = options.ConfigPath,
            ["Courier__HermesDirectory"] = options.HermesDirectory,
            ["Courier__StateDirectory"] = options.StateDirectory,
            ["Courier__UpdateAllOnStart"] = options.UpdateAllOnStart ? "true" : "false",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
        };
        if (options.SshAddress is not null)
        {
            environment["Courier__SshAddress"] = options.SshAddress;
        }

        foreach (var (key, value) in options.Settings)
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var hostDll = Path.Combine(options.HostPath ?? HostDirectory, "Courier.Host.dll");
        if (!File.Exists(hostDll))
        {
            throw new InvalidOperationException($"{hostDll} does not exist: build the solution first, or set COURIER_HOST_DIRECTORY to the folder of a Courier.Host build.");
        }

        var process = BackgroundProcess.Start("dotnet", [hostDll, "--urls", string.Join(';', [$"http://{address}", .. options.AdditionalUrls])], environment, options.NetworkNamespace?.Name);
        var client = options.NetworkNamespace?.CreateHttpClient(new Uri($"http://{address}")) ?? new HttpClient { BaseAddress = new Uri($"http://{address}") };
        var host = new CourierHostProcess(process, address, client);
        try
        {
            await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(30));
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        return host;
    }

    /// <summary>POSTs <paramref name="json"/> (no body when null) and returns the status and the body.</summary>
    public async Task<(HttpStatusCode Status, string Body)> PostAsync(string path, string? json = null, bool acceptJson = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (acceptJson)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        }

        using var response = await Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Stops the host (SIGINT, so it flushes its logs).</summary>
    public Task StopAsync() => _process.StopAsync();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        Client.Dispose();
    }

    private async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (HasExited)
            {
                throw new InvalidOperationException($"The Courier host exited (code {_process.ExitCode}) at start:\n{Logs}");
            }

            try
            {
                using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                if (await Client.GetStringAsync("/health", cancel.Token) == "ok")
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException or System.Net.Sockets.SocketException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The Courier host at {Address} did not answer /health within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s:\n{Logs}");
            }

            await Task.Delay(100);
        }
    }
}
