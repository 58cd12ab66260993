using System.Globalization;
using System.Security.Cryptography;
using Courier.Testing;

namespace Courier.Faults.Tests;

/// <summary>
/// The target's sshd session is killed with <c>kill -9</c> in the middle of a 3,000-file transfer: the retry
/// delivers everything, nothing at the target is truncated and nothing of rsync's is left there.
/// </summary>
public sealed class KilledSessionTests : IAsyncLifetime
{
    private const int Files = 3000;
    private static readonly HashSet<string> SessionProcessNames = ["rsync", "sh", "bash", "dash", "sshd", "sshd-session"];
    private FaultSite _site = null!;

    public async Task InitializeAsync() => _site = await FaultSite.CreateAsync();

    public async Task DisposeAsync() => await _site.DisposeAsync();

    [Fact]
    public async Task An_sshd_session_killed_mid_transfer_is_retried_and_every_file_arrives_whole()
    {
        // Random contents do not compress: the transfer takes long enough to be cut in the middle.
        var source = _site.Root.Combine("hermes", "app");
        for (var i = 0; i < Files; i++)
        {
            var directory = Path.Combine(source, $"service{i % 30}");
            Directory.CreateDirectory(directory);
            File.WriteAllBytes(Path.Combine(directory, $"file{i}.conf"), RandomNumberGenerator.GetBytes(16 * 1024));
        }

        _site.WriteDestinations(_site.SshDestination());
        await _site.StartHostAsync();
        using var killer = new CancellationTokenSource();
        // A thread of its own: the test framework's few threads must not delay the watch.
        var killing = Task.Factory.StartNew(
            () => KillTheSessionOnceRsyncRuns(_site.TargetDirectory, killer.Token),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        var delivery = Assert.Single(await _site.UpdateAllAsync());
        await killer.CancelAsync();
        var killed = await killing;

        Assert.True(killed.Count > 0, "the transfer ended before its session could be killed:\n" + _site.Host.Logs);
        Assert.True(delivery.GetProperty("succeeded").GetBoolean(), delivery.GetProperty("error").GetString());
        Assert.True(delivery.GetProperty("attempts").GetInt32() >= 2, $"attempts: {delivery.GetProperty("attempts")}");
        var delivered = Path.Combine(_site.TargetDirectory, "app");
        Assert.Equal(Fingerprints(source), Fingerprints(delivered));
        await _site.AssertHostLeftNoProcessAsync();
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
            // The receiving rsync itself, not Courier's ssh client whose remote command also names it.
            var server = ProcessProbe.Find("rsync --server").FirstOrDefault(line =>
                line.Split(": ", 2)[1].StartsWith("rsync --server", StringComparison.Ordinal) && line.Contains(targetDirectory, StringComparison.Ordinal));
            if (server is not null)
            {
                var chain = SessionChain(int.Parse(server.Split(':')[0], CultureInfo.InvariantCulture));
                foreach (var pid in chain)
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
