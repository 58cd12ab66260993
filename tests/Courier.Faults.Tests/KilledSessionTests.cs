using System.Globalization;
using System.Security.Cryptography;
using Courier.Testing;

namespace Courier.Faults.Tests;

/// <summary>
/// The connection is killed with <c>kill -9</c> in the middle of a 3,000-file transfer, at the target's sshd session
/// or at Courier's end (the shared connection's master, or rsync's own ssh): the retry delivers everything, nothing
/// at the target is truncated and nothing of rsync's is left there.
/// </summary>
public sealed class KilledSessionTests : FaultSiteTests
{
    private const int Files = 3000;
    private static readonly HashSet<string> SessionProcessNames = ["rsync", "sh", "bash", "dash", "sshd", "sshd-session"];

    [Fact]
    public async Task An_sshd_session_killed_mid_transfer_is_retried_and_every_file_arrives_whole()
    {
        await DeliverWhileKillingAsync(reuseConnections: true, KillTheSessionOnceRsyncRuns);
    }

    /// <summary>
    /// Courier's own end of the connection is killed mid-transfer: the shared connection's master when connections
    /// are shared, rsync's own ssh when not.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_connection_killed_on_courier_s_side_mid_transfer_is_retried_and_every_file_arrives_whole(bool reuseConnections)
    {
        await DeliverWhileKillingAsync(reuseConnections, (targetDirectory, cancellationToken) => KillTheClientConnectionOnceRsyncRuns(targetDirectory, reuseConnections, cancellationToken));
    }

    private async Task DeliverWhileKillingAsync(bool reuseConnections, Func<string, CancellationToken, IReadOnlyList<int>> kill)
    {
        // Random contents do not compress: the transfer takes long enough to be cut in the middle.
        var source = Site.Root.Combine("hermes", "app");
        for (var i = 0; i < Files; i++)
        {
            var directory = Path.Combine(source, $"service{i % 30}");
            Directory.CreateDirectory(directory);
            File.WriteAllBytes(Path.Combine(directory, $"file{i}.conf"), RandomNumberGenerator.GetBytes(16 * 1024));
        }

        Site.WriteDestinations(Site.SshDestination());
        await Site.StartHostAsync(reuseConnections: reuseConnections);
        using var killer = new CancellationTokenSource();
        // A thread of its own: the test framework's few threads must not delay the watch.
        var killing = Task.Factory.StartNew(
            () => kill(Site.TargetDirectory, killer.Token),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        var delivery = Assert.Single(await Site.UpdateAllAsync());
        await killer.CancelAsync();
        var killed = await killing;

        Assert.True(killed.Count > 0, "the transfer ended before its connection could be killed:\n" + Site.Host.Logs);
        Assert.True(delivery.GetProperty("succeeded").GetBoolean(), delivery.GetProperty("error").GetString());
        Assert.True(delivery.GetProperty("attempts").GetInt32() >= 2, $"attempts: {delivery.GetProperty("attempts")}");
        var delivered = Path.Combine(Site.TargetDirectory, "app");
        Assert.Equal(Fingerprints(source), Fingerprints(delivered));
        await Site.AssertHostLeftNoProcessAsync();
    }

    /// <summary>Once the target's rsync runs, kills the host's master to the target (shared) or the ssh that the host's rsync started.</summary>
    private IReadOnlyList<int> KillTheClientConnectionOnceRsyncRuns(string targetDirectory, bool shared, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (FindTargetRsync(targetDirectory) is not null)
            {
                var victims = shared
                    ? Site.SharedConnectionsTo(Site.Target.Port).Select(c => c.Pid).ToList()
                    : ProcessProbe.Children(Site.Host.ProcessId).Where(c => c.Name == "rsync")
                        .SelectMany(rsync => ProcessProbe.Children(rsync.Pid)).Where(c => c.Name == "ssh").Select(c => c.Pid).ToList();
                if (victims.Count > 0)
                {
                    KillAll(victims);
                    return victims;
                }
            }

            Thread.Sleep(5);
        }

        return [];
    }

    /// <summary>The receiving rsync itself, not Courier's ssh client whose remote command also names it.</summary>
    private static string? FindTargetRsync(string targetDirectory) =>
        ProcessProbe.Find("rsync --server").FirstOrDefault(line =>
            line.Split(": ", 2)[1].StartsWith("rsync --server", StringComparison.Ordinal) && line.Contains(targetDirectory, StringComparison.Ordinal));

    private static void KillAll(IEnumerable<int> pids)
    {
        foreach (var pid in pids)
        {
            try
            {
                System.Diagnostics.Process.GetProcessById(pid).Kill();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // Already gone.
            }
        }
    }

    /// <summary>Relative path and SHA-256 of every file below <paramref name="root"/> (rsync's leftovers would show).</summary>
    private static SortedDictionary<string, string> Fingerprints(string root) =>
        new(Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .Where(path => !Directory.Exists(path) || !Directory.EnumerateFileSystemEntries(path).Any())
            .ToDictionary(
                path => Path.GetRelativePath(root, path),
                path => File.Exists(path) ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))) : "empty directory"),
            StringComparer.Ordinal);

    /// <summary>
    /// Waits for the target's <c>rsync --server</c>, then kills it and every process between it and the listening sshd
    /// (the session's shell and sshd processes) with SIGKILL; the listener stays, so a retry can log in again.
    /// </summary>
    private static IReadOnlyList<int> KillTheSessionOnceRsyncRuns(string targetDirectory, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (FindTargetRsync(targetDirectory) is { } server)
            {
                var chain = SessionChain(int.Parse(server.Split(':')[0], CultureInfo.InvariantCulture));
                KillAll(chain);
                return chain;
            }

            Thread.Sleep(5);
        }

        return [];
    }

    private static List<int> SessionChain(int rsyncServer)
    {
        var chain = new List<int>();
        for (var pid = rsyncServer; pid > 1; pid = ParentOf(pid))
        {
            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
            var name = File.ReadAllText($"/proc/{pid}/comm").Trim();
            if (commandLine.Contains(" -D -e -f ", StringComparison.Ordinal) || !SessionProcessNames.Contains(name))
            {
                break; // the listening sshd of the fixture (or anything that is not part of the session)
            }

            chain.Add(pid);
        }

        return chain;
    }

    private static int ParentOf(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
    }
}
