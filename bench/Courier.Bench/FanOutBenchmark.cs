using System.Text.Json;
using Courier.Core;
using Courier.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Courier.Bench;

/// <summary>
/// An armada-local delivery to a cluster of N agents (each a real sshd): Courier as shipped (the host's transfer budget,
/// <c>Courier:MaxParallelTransfers</c>, 32) against the same code bounded as before the budget (8 agents at once, now
/// the entry's <c>"max_parallel": 8</c>) and against the original's one after another (<c>"max_parallel": 1</c>).
/// </summary>
internal static class FanOutBenchmark
{
    public static async Task<(Measurement AgainstEight, Measurement AgainstOneByOne)> RunAsync(int agents, int files, int iterations)
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

            var againstEight = new Measurement($"armada-local to {agents} agents, {files} files, one changed per run (against 8 at once)");
            var againstOne = new Measurement($"armada-local to {agents} agents, {files} files, one changed per run (against one by one)");
            var budget = Create(temp, ships[0], armada.BaseUrl, maxParallel: null, "budget");
            var eight = Create(temp, ships[0], armada.BaseUrl, maxParallel: 8, "eight");
            var sequential = Create(temp, ships[0], armada.BaseUrl, maxParallel: 1, "sequential");
            var snapshots = new[] { "budget", "eight", "sequential" }.Select(name => new Snapshot("bench", temp.Combine("snapshot"), name, "r")).ToArray();

            // First delivery fills the agents; then every run changes one file, as a typical config push does.
            await Check(budget.DeliverAsync(snapshots[0], CancellationToken.None));
            await Check(eight.DeliverAsync(snapshots[1], CancellationToken.None));
            await Check(sequential.DeliverAsync(snapshots[2], CancellationToken.None));
            for (var run = 0; run < iterations; run++)
            {
                temp.WriteFile("snapshot/service0/file0.conf", $"changed {run}");
                var candidate = await Measurement.TimeAsync(() => Check(budget.DeliverAsync(snapshots[0], CancellationToken.None)));
                var bounded = await Measurement.TimeAsync(() => Check(eight.DeliverAsync(snapshots[1], CancellationToken.None)));
                var oneByOne = await Measurement.TimeAsync(() => Check(sequential.DeliverAsync(snapshots[2], CancellationToken.None)));
                againstEight.Add(candidate, bounded);
                againstOne.Add(candidate, oneByOne);
            }

            return (againstEight, againstOne);
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

    private static IDestination Create(TempDirectory temp, SshServer anyShip, string armadaApi, int? maxParallel, string name)
    {
        var provider = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddCourier(o =>
            {
                o.StateDirectory = temp.Combine("state", name);
                o.Ssh.StrictHostKeyChecking = "accept-new";
            })
            .AddArmadaLocalDestination()
            .Services.BuildServiceProvider();
        var json = maxParallel is { } limit
            ? $$"""{"type": "armada-local", "armada_api": "{{armadaApi}}", "max_parallel": {{limit}}}"""
            : $$"""{"type": "armada-local", "armada_api": "{{armadaApi}}"}""";
        var file = temp.WriteFile("config/destinations.json", $$"""{"armada": {{json}}}""");
        return provider.GetServices<IDestinationFactory>().Single(f => f.Type == "armada-local")
            .Create(new DestinationDefinition("armada", JsonDocument.Parse(json).RootElement.Clone(), file, new SshLogin(anyShip.User, anyShip.ClientKey.PrivateKeyPath, false)));
    }
}
