using System.Diagnostics;
using System.Globalization;
using Courier.Testing;

namespace Courier.Bench;

/// <summary>What the three ways of delivering share: the git server, the targets, the key, and the checks of what arrived.</summary>
internal sealed class DeliveryBench(TempDirectory temp, SshKeyPair key, GitServer git, GitRepository template, IReadOnlyList<SshServer> servers, int files, PublishMode publish)
{
    public const string ChangedFile = "service0/file0.conf";

    /// <summary>A file no workload changes: with atomic publish, each release's copy is a hard link to the previous release's.</summary>
    private static readonly string UnchangedFile = DeliveryBenchmark.FilePath(1);

    /// <summary>What an atomic target's <c>NAME</c> link names: <c>.courier/releases/NAME/&lt;release&gt;</c>, relative.</summary>
    private static readonly string ReleasePrefix = $".courier/releases/{DeliveryBenchmark.Name}/";

    /// <summary>The release each Courier target's link named after the last check, by iteration and target (atomic publish).</summary>
    private readonly Dictionary<(int Iteration, int Target), string> _releases = [];

    private bool _warnedNotLinked;

    public TempDirectory Temp { get; } = temp;

    public SshKeyPair Key { get; } = key;

    public IReadOnlyList<SshServer> Servers { get; } = servers;

    public SshServer GitSsh => git.Ssh;

    /// <summary>How Courier's destinations publish; the baseline and the floor always rsync into <c>PATH/NAME</c> in place.</summary>
    public PublishMode Publish { get; } = publish;

    /// <summary>Where method <paramref name="method"/> delivers on target <paramref name="target"/> in an iteration.</summary>
    public string TargetPath(string method, int target, int iteration) =>
        Temp.Combine("targets", target.ToString(CultureInfo.InvariantCulture), method, iteration.ToString(CultureInfo.InvariantCulture));

    /// <summary><c>USER@HOST:PORT:PATH</c> of every target, as the scripts take them.</summary>
    public IEnumerable<string> ScriptTargets(string method, int iteration) =>
        Servers.Select((server, i) => $"{server.User}@{server.Host}:{server.Port}:{TargetPath(method, i, iteration)}");

    public void CreateTargetDirectories(string method, int iteration)
    {
        for (var i = 0; i < Servers.Count; i++)
        {
            Directory.CreateDirectory(TargetPath(method, i, iteration));
        }
    }

    /// <summary>The bytes free on the disk the bench writes to.</summary>
    public long FreeBytes() => new DriveInfo(Temp.Path).AvailableFreeSpace;

    /// <summary>
    /// Removes what the iteration delivered only when the disk would not hold three more iterations like it (it took
    /// <paramref name="freeAtStart"/> minus what is free now); otherwise it stays until the run ends. Removing ~100,000
    /// files right before the next iteration slows the method that runs first in it by seconds (ext4 is still freeing
    /// them: a 16-target first delivery took 2 to 7 s longer, measured), which is not that method's cost.
    /// </summary>
    public void DeleteIterationIfShortOfSpace(int iteration, long freeAtStart)
    {
        var free = FreeBytes();
        if (free < 3 * Math.Max(freeAtStart - free, 0))
        {
            Console.Error.WriteLine($"{free / (1024 * 1024)} MiB free: removing iteration {iteration + 1}'s targets now (the next iteration's first method may pay for it).");
            DeleteIteration(iteration);
        }
    }

    /// <summary>
    /// Removes what every method delivered in the iteration (never read again): at 200 targets, three copies per target
    /// fill a disk. With atomic publish, <c>PATH/NAME</c> is a link and the releases are in <c>PATH/.courier/</c>: the
    /// link itself is removed (never followed), then <c>PATH</c> with the releases.
    /// </summary>
    public void DeleteIteration(int iteration)
    {
        foreach (var method in new[] { "courier", "baseline", "floor", "atomic-floor" })
        {
            for (var i = 0; i < Servers.Count; i++)
            {
                var path = TargetPath(method, i, iteration);
                var live = new DirectoryInfo(Path.Combine(path, DeliveryBenchmark.Name));
                if (live.LinkTarget is not null)
                {
                    File.Delete(live.FullName);
                }

                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                }

                _releases.Remove((iteration, i));
            }
        }
    }

    /// <summary>A repository of its own for the iteration (a bare copy of the template), so the first delivery is a first one for every method.</summary>
    public async Task<BenchRepository> CopyRepositoryAsync(int iteration)
    {
        var bare = Temp.Combine("repositories", $"{DeliveryBenchmark.Name}-{iteration + 1}.git");
        var work = Temp.Combine("work", $"{iteration + 1}");
        Directory.CreateDirectory(Path.GetDirectoryName(bare)!);
        await Git.RunAsync(Temp.Path, ["clone", "--quiet", "--bare", template.BarePath, bare]);
        await Git.RunAsync(Temp.Path, ["clone", "--quiet", bare, work]);
        var ssh = git.Ssh;
        return new BenchRepository($"ssh://{ssh.User}@{ssh.Host}:{ssh.Port}{bare}", work);
    }

    public Task<string> ReadFileAsync(BenchRepository repository, string relativePath) =>
        File.ReadAllTextAsync(Path.Combine(repository.WorkPath, relativePath));

    /// <summary>Commits a change of one file (same size: a quick-check by size alone would miss it) and pushes it.</summary>
    public async Task<string> ChangeOneFileAsync(BenchRepository repository, int iteration)
    {
        var path = Path.Combine(repository.WorkPath, ChangedFile);
        var content = await File.ReadAllTextAsync(path);
        var marker = $"changed in iteration {iteration + 1:0000}\n";
        var changed = marker + content[marker.Length..];
        await File.WriteAllTextAsync(path, changed);
        await Git.RunAsync(repository.WorkPath, ["-c", "user.name=bench", "-c", "user.email=bench@localhost", "commit", "--quiet", "-am", "one file"]);
        await Git.RunAsync(repository.WorkPath, ["push", "--quiet", "origin", "HEAD:master"]);
        return changed;
    }

    /// <summary>
    /// Throws unless every target holds the expected changed file, and the first target every file (read through the
    /// link with atomic publish). Courier's targets with atomic publish must hold a release link, switched to a new
    /// release when one file changed and left as it was when nothing changed (the revision check skipped them);
    /// in place, and for the baseline and the floor, <c>PATH/NAME</c> must be a real directory; for the atomic floor, a link.
    /// </summary>
    public void Verify(string method, string workload, int iteration, string expectedChangedFile)
    {
        var atomic = method == "courier" && Publish == PublishMode.Atomic;
        for (var i = 0; i < Servers.Count; i++)
        {
            var delivered = Path.Combine(TargetPath(method, i, iteration), DeliveryBenchmark.Name);
            var link = new DirectoryInfo(delivered).LinkTarget;
            if (atomic)
            {
                VerifyRelease(i, workload, iteration, link);
            }
            else if (method == "atomic-floor" && link?.StartsWith(".releases/", StringComparison.Ordinal) != true)
            {
                throw new InvalidOperationException($"{method}: target {i}'s {DeliveryBenchmark.Name} is {(link is null ? "not a link" : $"a link to {link}")}, expected a link to .releases/<release> (iteration {iteration}, {workload}).");
            }
            else if (method != "atomic-floor" && link is not null)
            {
                throw new InvalidOperationException($"{method}: target {i}'s {DeliveryBenchmark.Name} is a link to {link}, expected a directory (iteration {iteration}, {workload}).");
            }

            var changed = Path.Combine(delivered, ChangedFile);
            if (!File.Exists(changed) || File.ReadAllText(changed) != expectedChangedFile)
            {
                throw new InvalidOperationException($"{method}: target {i} does not hold the expected {ChangedFile} (iteration {iteration}).");
            }

            if (i == 0)
            {
                var count = Directory.EnumerateFiles(delivered, "*", SearchOption.AllDirectories).Count();
                if (count != files)
                {
                    throw new InvalidOperationException($"{method}: target 0 holds {count} files, expected {files} (iteration {iteration}).");
                }
            }
        }
    }

    private void VerifyRelease(int target, string workload, int iteration, string? link)
    {
        var where = $"(iteration {iteration}, {workload})";
        if (link is null || !link.StartsWith(ReleasePrefix, StringComparison.Ordinal) || link.Length == ReleasePrefix.Length || link[ReleasePrefix.Length..].Contains('/', StringComparison.Ordinal))
        {
            var found = link is null ? "not a link" : $"a link to {link}";
            throw new InvalidOperationException($"courier: target {target}'s {DeliveryBenchmark.Name} is {found}, expected a link to {ReleasePrefix}<revision>-<n> {where}.");
        }

        var release = link[ReleasePrefix.Length..];
        _releases.TryGetValue((iteration, target), out var previous);
        _releases[(iteration, target)] = release;
        switch (workload)
        {
            case "nothing changed" when release != previous:
                throw new InvalidOperationException($"courier: target {target} was switched from {previous} to {release} although nothing changed: the revision check did not skip it {where}.");
            case "one file changed" when release == previous:
                throw new InvalidOperationException($"courier: target {target} is still on release {release} after a change {where}.");
            case "one file changed" when target == 0 && previous is not null && !_warnedNotLinked:
                var root = TargetPath("courier", target, iteration);
                var inodes = Inodes(Path.Combine(root, ReleasePrefix, previous, UnchangedFile), Path.Combine(root, ReleasePrefix, release, UnchangedFile));
                if (inodes.Distinct().Count() != 1)
                {
                    _warnedNotLinked = true;
                    Console.Error.WriteLine($"courier: {UnchangedFile}, unchanged, is not hard-linked between releases {previous} and {release} on target 0 (inodes {string.Join(", ", inodes)}) {where}.");
                }

                break;
        }
    }

    /// <summary>The inode numbers of <paramref name="paths"/> (<c>stat</c>; .NET has no call for it).</summary>
    private static string[] Inodes(params string[] paths)
    {
        var start = new ProcessStartInfo("stat") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-c", "%i", "--" }.Concat(paths))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output.Split('\n', StringSplitOptions.RemoveEmptyEntries) : [$"stat failed: {error.Trim()}"];
    }
}

/// <summary>One iteration's repository: its SSH URL and a work clone to commit changes from.</summary>
internal sealed record BenchRepository(string Url, string WorkPath);
