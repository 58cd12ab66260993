using System.Text.Json;
using Courier.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Courier.Bench;

/// <summary>
/// A <c>git</c> source update of a repository of N files served over a real sshd: Courier's persistent cache (fetch of
/// the branch only, export of the tree) against a fresh <c>git clone --depth 1</c> per update, as the original did.
/// Two rows: an update with no new commit, and one whose commit changed one file.
/// </summary>
internal static class GitBenchmark
{
    public static async Task<(Measurement NoChange, Measurement OneFileChanged, double ColdMs)> RunAsync(int files, int iterations)
    {
        using var temp = TempDirectory.Create("courier-bench-git");
        await using var server = await GitServer.StartAsync();
        var repository = await server.CreateRepositoryAsync("service-config");
        for (var i = 0; i < files; i++)
        {
            await repository.WriteFileAsync($"service{i % 40}/file{i}.conf", $"setting = {i}\n" + new string('x', 512));
        }

        await repository.CommitAndPushAsync("initial");
        var key = temp.Combine("config", "keys", "git.key");
        Directory.CreateDirectory(Path.GetDirectoryName(key)!);
        File.Copy(server.Ssh.ClientKey.PrivateKeyPath, key);
        var source = Create(temp, repository.SshUrl);

        var coldMs = await Measurement.TimeAsync(() => source.PullAsync(CancellationToken.None));
        var noChange = new Measurement($"git source, {files} files over SSH, no new commit");
        var oneFile = new Measurement($"git source, {files} files over SSH, one file changed");
        for (var run = 0; run < iterations; run++)
        {
            noChange.Add(
                await Measurement.TimeAsync(() => source.PullAsync(CancellationToken.None)),
                await Measurement.TimeAsync(() => FreshCloneAsync(temp, server, repository)));

            await repository.WriteFileAsync("service0/file0.conf", $"changed {run}");
            await repository.CommitAndPushAsync($"change {run}");
            oneFile.Add(
                await Measurement.TimeAsync(() => source.PullAsync(CancellationToken.None)),
                await Measurement.TimeAsync(() => FreshCloneAsync(temp, server, repository)));
        }

        return (noChange, oneFile, coldMs);
    }

    private static async Task FreshCloneAsync(TempDirectory temp, GitServer server, GitRepository repository)
    {
        var target = temp.Combine("clones", Guid.NewGuid().ToString("N"));
        var ssh = $"ssh -i {server.Ssh.ClientKey.PrivateKeyPath} -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR";
        await Git.RunAsync(temp.Path, ["-c", $"core.sshCommand={ssh}", "clone", "--quiet", "--depth", "1", "--branch", "master", repository.SshUrl, target]);
        Directory.Delete(target, recursive: true);
    }

    private static ISource Create(TempDirectory temp, string url)
    {
        var provider = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddCourier(o =>
            {
                o.StateDirectory = temp.Combine("state");
                o.Ssh.StrictHostKeyChecking = "no";
            })
            .AddGitSource()
            .Services.BuildServiceProvider();
        var json = $$"""{"type": "git", "repositories": ["{{url}}"], "ssh_key": "../keys/git.key", "destinations": ["x"]}""";
        var file = temp.WriteFile("config/sources/git.json", $"[{json}]");
        return provider.GetServices<ISourceFactory>().Single(f => f.Type == "git")
            .Create(new SourceDefinition(JsonDocument.Parse(json).RootElement.Clone(), file, 0)).Single();
    }
}
