using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using Courier.Testing;

namespace Courier.Bench;

/// <summary>One way of delivering the iteration's repository to every target.</summary>
internal interface IDeliveryRunner
{
    string Method { get; }

    Task DeliverAsync(BenchRepository repository, int iteration);
}

/// <summary>Courier: the real host, its configuration rewritten per iteration, triggered with <c>POST /update_from_git</c>.</summary>
internal sealed class CourierRunner : IDeliveryRunner, IAsyncDisposable
{
    private readonly DeliveryBench _bench;
    private readonly CourierHostProcess _host;

    // The update's answer comes when every target has it: at 200 targets on a loaded machine, longer than
    // HttpClient's default 100 s (the kit's client has it and cannot change it once used).
    private readonly HttpClient _client;

    private CourierRunner(DeliveryBench bench, CourierHostProcess host, MemorySampler memory)
    {
        _bench = bench;
        _host = host;
        _client = new HttpClient { BaseAddress = new Uri(host.BaseUrl), Timeout = TimeSpan.FromMinutes(30) };
        Memory = memory;
    }

    public string Method => "courier";

    public MemorySampler Memory { get; }

    public static async Task<CourierRunner> StartAsync(DeliveryBench bench)
    {
        var config = bench.Temp.Combine("courier", "config");
        CourierConfiguration.Prepare(config, bench.Key.PrivateKeyPath);
        var host = await CourierHostProcess.StartAsync(new CourierHostProcessOptions
        {
            ConfigPath = config,
            HermesDirectory = bench.Temp.Combine("courier", "hermes"),
            StateDirectory = bench.Temp.Combine("courier", "state"),
            Settings = new Dictionary<string, string>
            {
                ["Courier:Ssh:StrictHostKeyChecking"] = "no",
                ["Logging:LogLevel:Default"] = "Warning",
            },
        });
        return new CourierRunner(bench, host, MemorySampler.ForListener(host.Address));
    }

    public async Task DeliverAsync(BenchRepository repository, int iteration)
    {
        WriteConfiguration(repository, iteration);
        using var sampling = Memory.Sample();
        using var content = new StringContent(JsonSerializer.Serialize(new { url = repository.Url, branch = "master" }), System.Text.Encoding.UTF8, "application/json");
        using var response = await _client.PostAsync("/update_from_git", content);
        var body = await response.Content.ReadAsStringAsync();
        if (body != "ok")
        {
            throw new InvalidOperationException($"Courier answered {(int)response.StatusCode} {body}:\n{Tail(_host.Logs)}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    private void WriteConfiguration(BenchRepository repository, int iteration) =>
        CourierConfiguration.Write(_bench.Temp.Combine("courier", "config"), repository.Url, _bench.Servers, i => _bench.TargetPath(Method, i, iteration), _bench.Publish);

    /// <summary>The end of a host's log, for an error message.</summary>
    internal static string Tail(string logs) => logs.Length > 4000 ? logs[^4000..] : logs;
}

/// <summary>The original Courier's algorithm: a fresh clone, then <c>rsync -c</c> to each target in turn.</summary>
internal sealed class BaselineRunner(DeliveryBench bench) : IDeliveryRunner
{
    public string Method => "baseline";

    public Task DeliverAsync(BenchRepository repository, int iteration) =>
        Scripts.RunAsync("baseline.sh", [bench.Temp.Combine("baseline"), repository.Url, "master", bench.Key.PrivateKeyPath, DeliveryBenchmark.Name, .. bench.ScriptTargets(Method, iteration)]);
}

/// <summary>
/// The hand-tuned script: incremental checkout, <c>rsync -rtz</c> to all targets at once over master connections; in
/// place, or (<paramref name="atomic"/>) into a new release per target, hard-linked to the live one, then switched.
/// </summary>
internal sealed class FloorRunner(DeliveryBench bench, bool atomic) : IDeliveryRunner
{
    public string Method => atomic ? "atomic-floor" : "floor";

    // Unix socket paths are limited to 108 bytes: ssh's %C alone is 40, plus its temporary suffix.
    private string Control { get; } = Path.Combine("/tmp", $"cb{Environment.ProcessId}");

    private IEnumerable<string> AllHosts => [.. bench.ScriptTargets(Method, 0), $"{bench.GitSsh.User}@{bench.GitSsh.Host}:{bench.GitSsh.Port}:-"];

    public Task ConnectAsync() => Scripts.RunAsync("floor.sh", ["connect", Control, bench.Key.PrivateKeyPath, .. AllHosts]);

    public async Task CloseAsync()
    {
        await Scripts.RunAsync("floor.sh", ["close", Control, bench.Key.PrivateKeyPath, .. AllHosts]);
        Directory.Delete(Control, recursive: true);
    }

    public Task DeliverAsync(BenchRepository repository, int iteration) =>
        Scripts.RunAsync("floor.sh", [atomic ? "deliver-atomic" : "deliver", Control, bench.Temp.Combine(Method, $"{iteration + 1}"), repository.Url, "master", bench.Key.PrivateKeyPath, DeliveryBenchmark.Name, .. bench.ScriptTargets(Method, iteration)]);
}

internal static class Scripts
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "scripts");

    /// <summary>Writes every dirty page back to disk (<c>sync</c>), outside any timing.</summary>
    public static Task FlushDiskAsync() => Cli.Wrap("sync").ExecuteAsync();

    public static async Task RunAsync(string script, IReadOnlyList<string> arguments)
    {
        var result = await Cli.Wrap("bash").WithArguments([Path.Combine(Folder, script), .. arguments])
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} failed ({result.ExitCode}): {result.StandardError}");
        }
    }
}
