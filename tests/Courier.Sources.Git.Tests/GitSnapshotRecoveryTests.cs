using System.Text.Json;
using Courier.Testing;

namespace Courier.Sources.Git.Tests;

/// <summary>A full state disk: the snapshot is never left half-written, and once space is free the next pull succeeds.</summary>
public sealed class GitSnapshotRecoveryTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = TempDirectory.Create("courier-git-disk");
    private GitServer _server = null!;
    private TmpfsMount _state = null!;

    public async Task InitializeAsync()
    {
        _server = await GitServer.StartAsync();
        _state = await TmpfsMount.MountAsync(sizeKilobytes: 1024);
    }

    public async Task DisposeAsync()
    {
        await _state.DisposeAsync();
        await _server.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task A_commit_too_big_for_the_disk_fails_alone_and_after_its_removal_the_next_pull_succeeds()
    {
        var repository = await _server.CreateRepositoryAsync("disk", "master", new Dictionary<string, string> { ["app.conf"] = "v1" });
        var json = $$"""{"type": "git", "repositories": ["{{repository.FileUrl}}"], "destinations": ["target"]}""";
        var file = _temp.WriteFile("config/sources/git.json", $"[{json}]");
        using var document = JsonDocument.Parse(json);
        var source = Assert.Single(GitSourceConfigurationTests.Factory(_state.Path).Create(new SourceDefinition(document.RootElement.Clone(), file, 0)));
        var first = await source.PullAsync(CancellationToken.None);
        Assert.Equal("v1", File.ReadAllText(Path.Combine(first.LocalDirectory, "app.conf")));

        // Zeros pack to almost nothing, so the fetch fits and writing the file out does not.
        await repository.WriteFileAsync("big.bin", new string('\0', 4 * 1024 * 1024));
        await repository.WriteFileAsync("app.conf", "v2");
        await repository.CommitAndPushAsync("too big");
        var error = await Assert.ThrowsAsync<IOException>(() => source.PullAsync(CancellationToken.None));
        Assert.Contains("No space left on device", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(first.LocalDirectory, "big.bin")), "a half-written file stayed in the snapshot");

        await repository.DeleteFileAsync("big.bin");
        await repository.WriteFileAsync("app.conf", "v3");
        var fixedCommit = await repository.CommitAndPushAsync("big file removed");
        var recovered = await source.PullAsync(CancellationToken.None);

        Assert.Equal(fixedCommit, recovered.Revision);
        Assert.Equal("v3", File.ReadAllText(Path.Combine(recovered.LocalDirectory, "app.conf")));
        Assert.False(File.Exists(Path.Combine(recovered.LocalDirectory, "big.bin")));
    }

    [Fact]
    public async Task A_first_export_of_many_files_that_fills_the_disk_fails_and_leaves_no_partial_snapshot()
    {
        // 300 files of 10 kB (3 MB) on a 1 MB disk: small files go to the export's writer threads, so the full disk is
        // met on one of those and must still reach the caller. Alike contents pack to little, so the fetch fits.
        var files = Enumerable.Range(0, 300).ToDictionary(i => $"service{i % 10}/file{i}.conf", i => $"file {i}\n" + new string('x', 10_000));
        var repository = await _server.CreateRepositoryAsync("many", "master", files);
        var json = $$"""{"type": "git", "repositories": ["{{repository.FileUrl}}"], "destinations": ["target"]}""";
        var file = _temp.WriteFile("config/sources/many.json", $"[{json}]");
        using var document = JsonDocument.Parse(json);
        var source = Assert.Single(GitSourceConfigurationTests.Factory(_state.Path).Create(new SourceDefinition(document.RootElement.Clone(), file, 0)));

        var error = await Assert.ThrowsAsync<IOException>(() => source.PullAsync(CancellationToken.None));
        Assert.Contains("No space left on device", error.Message, StringComparison.Ordinal);
        var written = Directory.EnumerateFiles(_state.Path, "*.conf", SearchOption.AllDirectories).ToList();
        Assert.True(written.Count == 0, $"a failed export left {written.Count} files, e.g. {written.FirstOrDefault()}");

        foreach (var path in files.Keys.Skip(20))
        {
            await repository.DeleteFileAsync(path);
        }

        var fewer = await repository.CommitAndPushAsync("fewer files");
        var recovered = await source.PullAsync(CancellationToken.None);
        Assert.Equal(fewer, recovered.Revision);
        Assert.Equal(20, Directory.EnumerateFiles(recovered.LocalDirectory, "*.conf", SearchOption.AllDirectories).Count());
        Assert.Equal(files["service3/file3.conf"], File.ReadAllText(Path.Combine(recovered.LocalDirectory, "service3", "file3.conf")));
    }
}
