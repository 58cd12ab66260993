using System.Diagnostics;
using Courier.Testing;

namespace Courier.Bench;

/// <summary>
/// One git source to N <c>ssh</c> targets (each its own sshd), delivered by a cluster of one Courier host and by a
/// cluster of three, alternately, on one real 3-member etcd: first delivery, one file changed, nothing changed. The
/// one-host cluster runs the same code (lock, fan-out with one member), so the ratio is what splitting the targets
/// across three hosts changes. Prints each member's share of the last three-host delivery.
/// </summary>
internal static class ClusterBenchmark
{
    private static readonly string[] Workloads = ["first delivery", "one file changed", "nothing changed"];

    public static async Task<IReadOnlyList<string>> RunAsync(int targets, int files, int fileBytes, int iterations)
    {
        using var temp = TempDirectory.Create("courier-bench-cluster");
        var key = await SshKeyPair.GenerateAsync(temp.Path, "bench");
        var home = temp.Combine("home");
        await using var git = await GitServer.StartAsync(new SshServerOptions { ExtraAuthorizedKeys = [key.PublicKey], ExtraConfigLines = TargetFleet.CleanShell(home) });
        var started = Stopwatch.StartNew();
        var servers = await TargetFleet.StartAsync(targets, _ => key.PublicKey, home);
        var etcd = new EtcdCluster();
        try
        {
            await etcd.InitializeAsync();
            Console.Error.WriteLine($"{targets} sshd targets and etcd started in {started.Elapsed.TotalSeconds:0.0} s");
            var template = await DeliveryBenchmark.CreateRepositoryAsync(git, DeliveryBenchmark.Name, files, fileBytes, extraFiles: []);
            var bench = new DeliveryBench(temp, key, git, template, servers, files, PublishMode.InPlace);
            await using var one = await ClusterRunner.StartAsync(bench, etcd, replicas: 1);
            await using var three = await ClusterRunner.StartAsync(bench, etcd, replicas: 3);
            IDeliveryRunner[] runners = [one, three];
            await DeliveryBenchmark.RunIterationAsync(bench, runners, iteration: -1, measured: null);
            var times = new Dictionary<(string Workload, string Method), List<double>>();
            for (var iteration = 0; iteration < iterations; iteration++)
            {
                await DeliveryBenchmark.RunIterationAsync(bench, runners, iteration, (workload, method, ms) =>
                {
                    if (!times.TryGetValue((workload, method), out var list))
                    {
                        times[(workload, method)] = list = [];
                    }

                    list.Add(ms);
                });
            }

            var rows = new List<string> { $"\n{targets} targets, {files} files: 3 hosts against 1 (below 1: three are faster)", Measurement.Header };
            foreach (var workload in Workloads)
            {
                var measurement = new Measurement(workload);
                foreach (var (candidate, baseline) in times[(workload, three.Method)].Zip(times[(workload, one.Method)]))
                {
                    measurement.Add(candidate, baseline);
                }

                rows.Add(measurement.Row("3 hosts", "1 host"));
            }

            rows.Add("\nshares of the last 3-host delivery (nothing changed): member, targets, summed and longest transfer time");
            rows.AddRange(three.Shares().Select(share => $"- {share.Member}: {share.Targets} targets, {share.Total.TotalSeconds:0.0} s summed, {share.Longest.TotalMilliseconds:0} ms longest"));
            return rows;
        }
        finally
        {
            await etcd.DisposeAsync();
            await TargetFleet.StopAsync(servers);
        }
    }
}
