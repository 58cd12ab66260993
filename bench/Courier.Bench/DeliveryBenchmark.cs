using System.Diagnostics;
using System.Text;
using Courier.Testing;

namespace Courier.Bench;

/// <summary>
/// A git source delivered to N <c>ssh</c> targets (one real sshd each, own port), three ways, alternately on the same
/// targets: Courier (the host over HTTP, <c>POST /update_from_git</c>), the baseline (the original's algorithm,
/// bench/scripts/baseline.sh), the floor (a hand-tuned script, bench/scripts/floor.sh) and, with atomic publish, the
/// atomic floor (the same script switching a whole tree per target as Courier does). Workloads: first delivery
/// (a repository and target directories never seen before), one file changed, nothing changed.
/// </summary>
internal static class DeliveryBenchmark
{
    public const string Name = "service-config";

    /// <summary>
    /// Runs the workloads at one size; <paramref name="methods"/> may leave out the baseline or the floor (Courier always
    /// runs); <paramref name="publish"/> is how Courier's destinations publish (the baseline and the floor rsync in place).
    /// </summary>
    public static async Task<DeliveryResults> RunAsync(int targets, int files, int fileBytes, int iterations, IReadOnlySet<string> methods, PublishMode publish)
    {
        using var temp = TempDirectory.Create("courier-bench-delivery");
        var key = await SshKeyPair.GenerateAsync(temp.Path, "bench");
        // Every sshd here, the git server's too, gives its sessions an empty HOME: no start-up file of this machine's user runs.
        var home = temp.Combine("home");
        await using var git = await GitServer.StartAsync(new SshServerOptions { ExtraAuthorizedKeys = [key.PublicKey], ExtraConfigLines = TargetFleet.CleanShell(home) });
        var started = Stopwatch.StartNew();
        var servers = await TargetFleet.StartAsync(targets, _ => key.PublicKey, home);
        Console.Error.WriteLine($"{targets} sshd targets started in {started.Elapsed.TotalSeconds:0.0} s");
        try
        {
            var template = await CreateRepositoryAsync(git, Name, files, fileBytes, extraFiles: []);
            var bench = new DeliveryBench(temp, key, git, template, servers, files, publish);
            await using var courier = await CourierRunner.StartAsync(bench);
            var floor = new FloorRunner(bench, atomic: false);
            var atomicFloor = new FloorRunner(bench, atomic: true);
            var baseline = new BaselineRunner(bench);
            IDeliveryRunner[] runners = [courier, .. new IDeliveryRunner[] { baseline, floor, atomicFloor }.Where(runner => methods.Contains(runner.Method))];
            // Both floors go through the same master connections.
            var connected = methods.Contains(floor.Method) || methods.Contains(atomicFloor.Method);
            if (connected)
            {
                await floor.ConnectAsync();
            }

            try
            {
                // Warm-up (untimed): JIT, page cache, the floor's master connections.
                await RunIterationAsync(bench, runners, iteration: -1, measured: null);
                courier.Memory.MarkIdle();
                var results = new DeliveryResults(targets, files, publish);
                Console.Error.WriteLine($"{targets} targets: warm-up done in {started.Elapsed.TotalSeconds:0} s");
                for (var iteration = 0; iteration < iterations; iteration++)
                {
                    await RunIterationAsync(bench, runners, iteration, results.Add);
                    Console.Error.WriteLine($"{targets} targets: iteration {iteration + 1} of {iterations} done at {started.Elapsed.TotalSeconds:0} s");
                }

                results.IdleRssMiB = courier.Memory.IdleMiB;
                results.PeakRssMiB = courier.Memory.PeakMiB;
                results.PeakBreakdown = courier.Memory.PeakBreakdown;
                return results;
            }
            finally
            {
                if (connected)
                {
                    await floor.CloseAsync();
                }
            }
        }
        finally
        {
            await TargetFleet.StopAsync(servers);
        }
    }

    /// <summary>
    /// One iteration: a new repository, each workload by every runner in turn (the order rotating by iteration), each
    /// run checked; <paramref name="measured"/> gets (workload, method, milliseconds) of each run (null: a warm-up).
    /// </summary>
    internal static async Task RunIterationAsync(DeliveryBench bench, IReadOnlyList<IDeliveryRunner> runners, int iteration, Action<string, string, double>? measured)
    {
        var freeAtStart = bench.FreeBytes();
        var repository = await bench.CopyRepositoryAsync(iteration);
        foreach (var runner in runners)
        {
            bench.CreateTargetDirectories(runner.Method, iteration);
        }

        // Rotate the order so no method always runs first (after another's writes) or last.
        var order = Enumerable.Range(0, runners.Count).Select(i => runners[(i + Math.Max(iteration, 0)) % runners.Count]).ToList();
        var expected = await bench.ReadFileAsync(repository, DeliveryBench.ChangedFile);
        await MeasureAsync("first delivery");
        expected = await bench.ChangeOneFileAsync(repository, iteration);
        await MeasureAsync("one file changed");
        await MeasureAsync("nothing changed");
        bench.DeleteIterationIfShortOfSpace(iteration, freeAtStart);

        async Task MeasureAsync(string workload)
        {
            foreach (var runner in order)
            {
                // The previous run's writes (a first delivery writes the tree once per target) are flushed first, so that
                // writing them back is not charged to whichever method runs next.
                await Scripts.FlushDiskAsync();
                var elapsed = await Measurement.TimeAsync(() => runner.DeliverAsync(repository, iteration));
                bench.Verify(runner.Method, workload, iteration, expected);
                measured?.Invoke(workload, runner.Method, elapsed);
                if (measured is not null)
                {
                    // On stderr as measured: a run stopped before its table still leaves its figures.
                    Console.Error.WriteLine($"{bench.Servers.Count} targets, iteration {iteration + 1}: {workload}, {runner.Method} {elapsed:0} ms");
                }
            }
        }
    }

    /// <summary>The path of file <paramref name="index"/> of the bench's repositories.</summary>
    public static string FilePath(int index) => $"service{index % 40}/file{index}.conf";

    /// <summary>A repository on <paramref name="git"/> of <paramref name="files"/> random text files (seeded: the same every run), committed and pushed to master.</summary>
    public static async Task<GitRepository> CreateRepositoryAsync(GitServer git, string name, int files, int fileBytes, IReadOnlyList<(string Path, string Content)> extraFiles)
    {
        var repository = await git.CreateRepositoryAsync(name);
        var random = new Random(42);
        for (var i = 0; i < files; i++)
        {
            await repository.WriteFileAsync(FilePath(i), RandomText(random, fileBytes));
        }

        foreach (var (path, content) in extraFiles)
        {
            await repository.WriteFileAsync(path, content);
        }

        await repository.CommitAndPushAsync("initial");
        return repository;
    }

    private static string RandomText(Random random, int bytes)
    {
        var text = new StringBuilder(bytes);
        const string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 =_-\n";
        for (var i = 0; i < bytes; i++)
        {
            text.Append(alphabet[random.Next(alphabet.Length)]);
        }

        return text.ToString();
    }
}
