using System.Diagnostics;
using System.Globalization;
using Courier.Testing;

namespace Courier.Bench;

/// <summary>How big a storm is.</summary>
internal sealed record StormOptions(int Targets, int Files, int FileBytes, int Pushes, double Seconds, StormTrigger Trigger, int? QueueCapacity);

/// <summary>
/// A web hook storm through the real host: one git source delivered to N <c>ssh</c> targets; after a first delivery,
/// <see cref="StormOptions.Pushes"/> commits pushed over <see cref="StormOptions.Seconds"/> (objects sent beforehand, each push the
/// server's branch update), each followed by its
/// trigger. When the host is idle again every target must hold the last commit, tree for tree (or the run fails);
/// it reports the rsync runs each target served (goal: at most 3), the updates and folded triggers, the 503s, and the
/// time from the last push to the last target holding it.
/// </summary>
internal static class StormBenchmark
{
    private const string Marker = "storm/commit.txt";
    private static readonly TimeSpan IdleDeadline = TimeSpan.FromMinutes(10);

    public static async Task<StormResults> RunAsync(StormOptions options)
    {
        using var temp = TempDirectory.Create("courier-bench-storm");
        var key = await SshKeyPair.GenerateAsync(temp.Path, "bench");
        var logger = Path.Combine(AppContext.BaseDirectory, "scripts", "logged-command.sh");
        string Log(int i) => temp.Combine("rsync-logs", $"{i}.log");
        string Tree(int i) => temp.Combine("targets", i.ToString(CultureInfo.InvariantCulture), DeliveryBenchmark.Name);
        Directory.CreateDirectory(temp.Combine("rsync-logs"));
        // Every sshd here, the git server's too, gives its sessions an empty HOME: no start-up file of this machine's user runs.
        var home = temp.Combine("home");
        await using var git = await GitServer.StartAsync(new SshServerOptions { ExtraAuthorizedKeys = [key.PublicKey], ExtraConfigLines = TargetFleet.CleanShell(home) });
        var servers = await TargetFleet.StartAsync(options.Targets, i => $"command=\"/bin/sh {logger} {Log(i)}\",no-pty {key.PublicKey}", home);
        try
        {
            var repository = await DeliveryBenchmark.CreateRepositoryAsync(git, "storm-config", options.Files, options.FileBytes, extraFiles: [(Marker, "initial\n")]);
            var config = temp.Combine("courier", "config");
            CourierConfiguration.Prepare(config, key.PrivateKeyPath);
            CourierConfiguration.Write(config, repository.SshUrl, servers, i => Path.GetDirectoryName(Tree(i))!);
            var settings = new Dictionary<string, string>
            {
                ["Courier:Ssh:StrictHostKeyChecking"] = "no",
                ["Logging:LogLevel:Default"] = "Warning",
            };
            if (options.QueueCapacity is { } capacity)
            {
                settings["Courier:QueueCapacity"] = capacity.ToString(CultureInfo.InvariantCulture);
            }

            await using var host = await CourierHostProcess.StartAsync(new CourierHostProcessOptions
            {
                ConfigPath = config,
                HermesDirectory = temp.Combine("courier", "hermes"),
                StateDirectory = temp.Combine("courier", "state"),
                Settings = settings,
            });

            // The first delivery is not part of the storm: the storm measures updates of trees the targets hold.
            var (status, body) = await host.PostAsync("/update_from_git", $$"""{"url": "{{repository.SshUrl}}", "branch": "master"}""");
            if (body != "ok")
            {
                throw new InvalidOperationException($"The first delivery failed: {(int)status} {body}\n{host.Logs}");
            }

            foreach (var log in Directory.EnumerateFiles(temp.Combine("rsync-logs")))
            {
                File.Delete(log);
            }

            var before = await Git.RunAsync(repository.WorkPath, ["rev-parse", "HEAD"]);
            var commits = await PrepareCommitsAsync(repository, options.Pushes, options.Files);
            var lastContent = await File.ReadAllTextAsync(Path.Combine(repository.WorkPath, Marker));
            var stormStart = DateTimeOffset.UtcNow;
            var triggers = new StormTriggers(host, repository.SshUrl, options.Trigger);
            await using var branch = BranchMover.Start(repository.BarePath, "master");
            var clock = Stopwatch.StartNew();
            var interval = options.Seconds * 1000 / options.Pushes;
            for (var i = 0; i < commits.Count; i++)
            {
                var due = i * interval - clock.Elapsed.TotalMilliseconds;
                if (due > 0)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(due));
                }

                await branch.MoveAsync(before, commits[i]);
                triggers.Send(i, before, commits[i]);
                before = commits[i];
            }

            var lastPush = clock.Elapsed;
            var held = await WaitUntilIdleAsync(host, triggers, Enumerable.Range(0, servers.Count).Select(i => Path.Combine(Tree(i), Marker)).ToList(), lastContent, clock);
            await triggers.WhenAnsweredAsync();
            StormAudit.VerifyTrees(repository.WorkPath, [.. Enumerable.Range(0, servers.Count).Select(Tree)]);

            var reports = await StormAudit.ReportsAsync(host, stormStart);
            var (sourceRuns, attempts) = StormAudit.SourceRuns(reports);
            var metrics = await host.Client.GetStringAsync("/metrics");
            if (Environment.GetEnvironmentVariable("COURIER_BENCH_METRICS") == "1")
            {
                Console.WriteLine(metrics);
            }

            return new StormResults(options)
            {
                StormSeconds = lastPush.TotalSeconds,
                RsyncRunsPerTarget = [.. Enumerable.Range(0, servers.Count).Select(i => StormAudit.RsyncRuns(Log(i)))],
                ReportedAttemptsPerTarget = [.. attempts.Values],
                Updates = reports.Count,
                SourceRuns = sourceRuns,
                TriggersAccepted = triggers.Accepted,
                Refused = triggers.Refused,
                CoalescedMetric = StormAudit.Metric(metrics, "courier_triggers_coalesced"),
                LastPushToAllHeldSeconds = (held - lastPush).TotalSeconds,
            };
        }
        finally
        {
            await TargetFleet.StopAsync(servers);
        }
    }

    /// <summary>Commits <paramref name="count"/> changes (each: the marker and one more file), their objects on the server but no branch at them yet; returns their SHAs, oldest first.</summary>
    private static async Task<List<string>> PrepareCommitsAsync(GitRepository repository, int count, int files)
    {
        for (var i = 1; i <= count; i++)
        {
            await repository.WriteFileAsync(Marker, $"storm push {i} of {count}\n");
            var path = Path.Combine(repository.WorkPath, DeliveryBenchmark.FilePath(i * 7 % files));
            await File.WriteAllTextAsync(path, $"changed by storm push {i}\n" + await File.ReadAllTextAsync(path));
            await Git.RunAsync(repository.WorkPath, ["commit", "--quiet", "-am", $"storm push {i}"]);
        }

        // The objects go to the server now; each push of the storm is then the server's ref update alone (one short
        // process), so 100 pushes fit in 5 s on a loaded machine. What Courier sees is the same: the branch moves.
        await Git.RunAsync(repository.WorkPath, ["push", "--quiet", "origin", "HEAD:refs/storm/objects"]);
        var shas = await Git.RunAsync(repository.WorkPath, ["rev-list", "--reverse", $"--max-count={count}", "HEAD"]);
        return [.. shas.Split('\n')];
    }

    /// <summary>
    /// Polls until every target holds the last commit's marker, every trigger is answered and the host's queue is
    /// empty; returns when the last target first held the marker. Fails after <see cref="IdleDeadline"/>.
    /// </summary>
    private static async Task<TimeSpan> WaitUntilIdleAsync(CourierHostProcess host, StormTriggers triggers, IReadOnlyList<string> markers, string lastContent, Stopwatch clock)
    {
        var deadline = clock.Elapsed + IdleDeadline;
        TimeSpan? allHeld = null;
        while (true)
        {
            if (allHeld is null && markers.All(marker => ReadOrNull(marker) == lastContent))
            {
                allHeld = clock.Elapsed;
            }

            if (allHeld is not null && triggers.AllAnswered && StormAudit.Metric(await host.Client.GetStringAsync("/metrics"), "courier_queue_length") is null or 0)
            {
                return allHeld.Value;
            }

            if (clock.Elapsed > deadline)
            {
                var behind = markers.Select((marker, i) => (i, ReadOrNull(marker))).Where(m => m.Item2 != lastContent).Take(5);
                throw new InvalidOperationException(
                    $"STORM FAILED: {IdleDeadline.TotalMinutes} min after the storm, targets still lack the last commit: {string.Join("; ", behind.Select(b => $"target {b.i} holds {b.Item2?.Trim() ?? "nothing"}"))}\n{CourierRunner.Tail(host.Logs)}");
            }

            await Task.Delay(allHeld is null ? 20 : 200);
        }
    }

    private static string? ReadOrNull(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
