using System.Text.Json;
using Courier.Core;
using Courier.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Courier.Bench;

/// <summary>
/// An armada-local delivery to a cluster of N agents (each a real sshd), with Courier's parallel pushes against the
/// original's one-after-another (the same code with a parallel bound of 1).
/// </summary>
internal static class FanOutBenchmark
{
    public static async Task<Measurement> RunAsync(int agents, int files, int iterations)
    {
        using var temp = TempDirectory.Create("courier-bench-fanout");
        var ships = new List<SshServer>();
        await using var armada = await ArmadaApiEmulator.StartAsync();
        try
        {
            var paths = new List<string>();
            for (var i = 0; i < agents; i++)
            {
                var ship = await SshServer.StartAsync(new SshServerOptions { ExtraAuthorizedKeys = ships.Count == 0 ? [] : [ships[0].ClientKey.PublicKey] });
                ships.Add(ship);
                var path = temp.Combine("agents", $"agent{i}");
                Directory.CreateDirectory(path);
                paths.Add(path);
                await armada.AddAgentAsync(new HermesAddress(ship.Endpoint, path));
            }

            for (var i = 0; i < files; i++)
            {
                temp.WriteFile($"snapshot/service{i % 20}/file{i}.conf", $"setting = {i}\n" + new string('x', 512));
            }

            var measurement = new Measurement($"armada-local to {agents} agents, {files} files, one changed per run");
            var parallel = Create(temp, ships[0], armada.BaseUrl, maxParallel: 8, "parallel");
            var sequential = Create(temp, ships[0], armada.BaseUrl, maxParallel: 1, "sequential");
            var snapshotParallel = new Snapshot("bench", temp.Combine("snapshot"), "parallel", "r");
            var snapshotSequential = new Snapshot("bench", temp.Combine("snapshot"), "sequential", "r");

            // First delivery fills the agents; then every run changes one file, as a typical config push does.
            await parallel.DeliverAsync(snapshotParallel, CancellationToken.None);
            await sequential.DeliverAsync(snapshotSequential, CancellationToken.None);
            for (var run = 0; run < iterations; run++)
            {
                temp.WriteFile("snapshot/service0/file0.conf", $"changed {run}");
                var candidate = await Measurement.TimeAsync(() => Check(parallel.DeliverAsync(snapshotParallel, CancellationToken.None)));
                var baseline = await Measurement.TimeAsync(() => Check(sequential.DeliverAsync(snapshotSequential, CancellationToken.None)));
                measurement.Add(candidate, baseline);
            }

            return measurement;
        }
        finally
        {
            foreach (var ship in ships)
            {
                await ship.DisposeAsync();
            }
        }
    }

    private static async Task Check(Task<IReadOnlyList<DeliveryResult>> delivery)
    {
        var results = await delivery;
        if (results.Any(r => !r.Succeeded))
        {
            throw new InvalidOperationException(string.Join("; ", results.Where(r => !r.Succeeded).Select(r => r.Error)));
        }
    }

    private static IDestination Create(TempDirectory temp, SshServer anyShip, string armadaApi, int maxParallel, string name)
    {
        var provider = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddCourier(o =>
            {
                o.StateDirectory = temp.Combine("state", name);
                o.Ssh.StrictHostKeyChecking = "accept-new";
                o.MaxParallelDeliveries = maxParallel;
            })
            .AddArmadaLocalDestination()
            .Services.BuildServiceProvider();
        var json = $$"""{"type": "armada-local", "armada_api": "{{armadaApi}}"}""";
        var file = temp.WriteFile("config/destinations.json", $$"""{"armada": {{json}}}""");
        return provider.GetServices<IDestinationFactory>().Single(f => f.Type == "armada-local")
            .Create(new DestinationDefinition("armada", JsonDocument.Parse(json).RootElement.Clone(), file, new SshLogin(anyShip.User, anyShip.ClientKey.PrivateKeyPath, false)));
    }
}
