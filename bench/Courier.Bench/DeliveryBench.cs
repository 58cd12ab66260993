using System.Globalization;
using Courier.Testing;

namespace Courier.Bench;

/// <summary>What the three ways of delivering share: the git server, the targets, the key, and the checks of what arrived.</summary>
internal sealed class DeliveryBench(TempDirectory temp, SshKeyPair key, GitServer git, GitRepository template, IReadOnlyList<SshServer> servers, int files)
{
    public const string ChangedFile = "service0/file0.conf";

    public TempDirectory Temp { get; } = temp;

    public SshKeyPair Key { get; } = key;

    public IReadOnlyList<SshServer> Servers { get; } = servers;

    public SshServer GitSsh => git.Ssh;

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

    /// <summary>Removes what every method delivered in the iteration (never read again): at 200 targets, three copies per target fill a disk.</summary>
    public void DeleteIteration(int iteration)
    {
        foreach (var method in new[] { "courier", "baseline", "floor" })
        {
            for (var i = 0; i < Servers.Count; i++)
            {
                var path = TargetPath(method, i, iteration);
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                }
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

    /// <summary>Throws unless every target holds the expected changed file, and the first target every file.</summary>
    public void Verify(string method, int iteration, string expectedChangedFile)
    {
        for (var i = 0; i < Servers.Count; i++)
        {
            var delivered = Path.Combine(TargetPath(method, i, iteration), DeliveryBenchmark.Name);
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
}

/// <summary>One iteration's repository: its SSH URL and a work clone to commit changes from.</summary>
internal sealed record BenchRepository(string Url, string WorkPath);
