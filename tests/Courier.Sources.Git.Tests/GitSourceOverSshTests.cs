using System.Text.Json;
using Courier.Testing;
using GitCli = Courier.Testing.Git;

namespace Courier.Sources.Git.Tests;

/// <summary>The git source pulling from bare repositories served by a real sshd, with a key relative to the sources file.</summary>
public sealed class GitSourceOverSshTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = TempDirectory.Create("courier-git-source");
    private GitServer _server = null!;
    private GitRepository _repository = null!;

    public async Task InitializeAsync()
    {
        _server = await GitServer.StartAsync();
        _repository = await _server.CreateRepositoryAsync("chess-config");
        await _repository.WriteFileAsync("app.conf", "v1");
        await _repository.WriteFileAsync("config/service.conf", "service v1");
        await _repository.WriteFileAsync("config/gone.conf", "to be deleted");
        await _repository.WriteFileAsync("bin/reload.sh", "#!/bin/sh\necho reload\n");
        File.SetUnixFileMode(Path.Combine(_repository.WorkPath, "bin", "reload.sh"), File.GetUnixFileMode(Path.Combine(_repository.WorkPath, "bin", "reload.sh")) | UnixFileMode.UserExecute);
        await _repository.CommitAndPushAsync("v1");
        Directory.CreateDirectory(_temp.Combine("config", "keys"));
        File.Copy(_server.Ssh.ClientKey.PrivateKeyPath, _temp.Combine("config", "keys", "git.key"));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _temp.Dispose();
    }

    private string State => _temp.Combine("state");

    private ISource Create(string json, string? sshConfigFile = null)
    {
        var file = _temp.WriteFile("config/sources/git.json", $"[{json}]");
        using var document = JsonDocument.Parse(json);
        return Assert.Single(GitSourceConfigurationTests.Factory(State, sshConfigFile).Create(new SourceDefinition(document.RootElement.Clone(), file, 0)));
    }

    private ISource CreateForRepository(string extraFields = "", string? url = null, string key = "../keys/git.key") =>
        Create($$"""{"type": "git", "repositories": ["{{url ?? _repository.SshUrl}}"], "ssh_key": "{{key}}", "destinations": ["target"]{{extraFields}}}""");

    private static string Read(Snapshot snapshot, string relativePath) => File.ReadAllText(Path.Combine(snapshot.LocalDirectory, relativePath));

    [Fact]
    public async Task Pulls_the_branch_over_ssh_into_a_directory_named_after_the_repository_without_git_metadata()
    {
        var commit = await GitCli.RunAsync(_repository.WorkPath, ["rev-parse", "HEAD"]);

        var snapshot = await CreateForRepository().PullAsync(CancellationToken.None);

        Assert.Equal(commit, snapshot.Revision);
        Assert.Equal("chess-config", snapshot.DestinationPath);
        Assert.Equal("v1", Read(snapshot, "app.conf"));
        Assert.Equal("service v1", Read(snapshot, "config/service.conf"));
        Assert.False(Directory.Exists(Path.Combine(snapshot.LocalDirectory, ".git")));
        Assert.True(File.GetUnixFileMode(Path.Combine(snapshot.LocalDirectory, "bin", "reload.sh")).HasFlag(UnixFileMode.UserExecute));
        Assert.False(File.GetUnixFileMode(Path.Combine(snapshot.LocalDirectory, "app.conf")).HasFlag(UnixFileMode.UserExecute));
        Assert.StartsWith(State, snapshot.LocalDirectory, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_subdirectory_is_exported_alone_under_its_destination_path()
    {
        var snapshot = await CreateForRepository(""", "subdirectory": "config", "destination_path": "chess" """).PullAsync(CancellationToken.None);

        Assert.Equal("chess", snapshot.DestinationPath);
        Assert.Equal("service v1", Read(snapshot, "service.conf"));
        Assert.False(File.Exists(Path.Combine(snapshot.LocalDirectory, "app.conf")));
    }

    [Fact]
    public async Task A_new_commit_brings_its_changes_and_deletions_and_an_unchanged_branch_is_not_exported_again()
    {
        var source = CreateForRepository();
        var first = await source.PullAsync(CancellationToken.None);
        var again = await source.PullAsync(CancellationToken.None);
        Assert.Equal(first, again);

        await _repository.WriteFileAsync("app.conf", "v2");
        await _repository.DeleteFileAsync("config/gone.conf");
        var second = await _repository.CommitAndPushAsync("v2");
        var updated = await source.PullAsync(CancellationToken.None);

        Assert.Equal(second, updated.Revision);
        Assert.Equal("v2", Read(updated, "app.conf"));
        Assert.False(File.Exists(Path.Combine(updated.LocalDirectory, "config", "gone.conf")));
        Assert.Equal(first.LocalDirectory, updated.LocalDirectory);
    }

    [Fact]
    public async Task A_snapshot_brought_up_to_date_by_changes_equals_one_written_afresh()
    {
        var source = CreateForRepository();
        await source.PullAsync(CancellationToken.None);

        await _repository.DeleteFileAsync("config/gone.conf");
        await _repository.DeleteFileAsync("config/service.conf");
        await _repository.DeleteFileAsync("app.conf");
        Directory.Delete(Path.Combine(_repository.WorkPath, "config"));
        await _repository.WriteFileAsync("app.conf/now-a-directory.conf", "was a file");
        await _repository.WriteFileAsync("config", "now a file");
        await _repository.WriteFileAsync("deep/er/new.conf", "new");
        File.SetUnixFileMode(Path.Combine(_repository.WorkPath, "bin", "reload.sh"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.CreateSymbolicLink(Path.Combine(_repository.WorkPath, "current.conf"), "deep/er/new.conf");
        await _repository.CommitAndPushAsync("reshape");
        var updated = await source.PullAsync(CancellationToken.None);
        var fresh = await CreateForRepository(""", "destination_path": "fresh" """).PullAsync(CancellationToken.None);

        Assert.Equal(fresh.Revision, updated.Revision);
        Assert.NotEqual(fresh.LocalDirectory, updated.LocalDirectory);
        Assert.Equal(Describe(fresh.LocalDirectory), Describe(updated.LocalDirectory));
        Assert.Equal("now a file", Read(updated, "config"));
        Assert.Equal("deep/er/new.conf", new FileInfo(Path.Combine(updated.LocalDirectory, "current.conf")).LinkTarget);
    }

    [Fact]
    public async Task An_export_cut_short_is_redone_in_full()
    {
        var source = CreateForRepository();
        var first = await source.PullAsync(CancellationToken.None);
        File.Delete(Path.Combine(first.LocalDirectory, "app.conf"));
        File.Delete(Path.Combine(Path.GetDirectoryName(first.LocalDirectory)!, "current.commit"));

        var again = await source.PullAsync(CancellationToken.None);

        Assert.Equal("v1", Read(again, "app.conf"));
    }

    /// <summary>Every entry below a directory: path, kind, mode, content or link target.</summary>
    private static List<string> Describe(string root) =>
        [.. new DirectoryInfo(root).EnumerateFileSystemInfos("*", SearchOption.AllDirectories)
            .Select(info => $"{Path.GetRelativePath(root, info.FullName)} {info.LinkTarget ?? (info is FileInfo file ? $"{file.UnixFileMode} {File.ReadAllText(file.FullName)}" : "dir")}")
            .Order(StringComparer.Ordinal)];

    [Fact]
    public async Task The_cache_keeps_one_repository_and_fetches_only_what_is_new()
    {
        var source = CreateForRepository();
        await source.PullAsync(CancellationToken.None);
        var repositories = Directory.GetDirectories(Path.Combine(State, "git", "repositories"));
        var cache = Assert.Single(repositories);
        var objectsBefore = await GitCli.RunAsync(cache, ["count-objects", "-v"]);

        await source.PullAsync(CancellationToken.None);
        Assert.Equal(objectsBefore, await GitCli.RunAsync(cache, ["count-objects", "-v"]));

        await _repository.WriteFileAsync("app.conf", "v3");
        await _repository.CommitAndPushAsync("v3");
        await source.PullAsync(CancellationToken.None);
        Assert.Single(Directory.GetDirectories(Path.Combine(State, "git", "repositories")));
        Assert.Equal("2", await GitCli.RunAsync(cache, ["rev-list", "--count", "--all"]));
    }

    [Fact]
    public async Task An_scp_like_address_reaches_the_server_through_an_ssh_config_alias()
    {
        var sshConfig = _server.WriteSshConfig(_temp.Combine("ssh_config"), "git-server");
        var source = Create($$"""{"type": "git", "repositories": ["{{_repository.ScpLikeUrl("git-server")}}"], "ssh_key": "../keys/git.key"}""", sshConfig);

        var snapshot = await source.PullAsync(CancellationToken.None);

        Assert.Equal("v1", Read(snapshot, "app.conf"));
    }

    [Fact]
    public async Task Local_paths_and_file_urls_are_pulled_without_ssh()
    {
        var fromPath = await CreateForRepository(url: _repository.BarePath).PullAsync(CancellationToken.None);
        var fromUrl = await CreateForRepository(url: _repository.FileUrl).PullAsync(CancellationToken.None);

        Assert.Equal("v1", Read(fromPath, "app.conf"));
        Assert.Equal(fromPath.Revision, fromUrl.Revision);
    }

    [Fact]
    public async Task A_missing_branch_is_an_error_naming_it()
    {
        var source = CreateForRepository(""", "branch": "no-such-branch" """);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => source.PullAsync(CancellationToken.None));

        Assert.Contains("\"no-such-branch\" does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_branch_name_with_shell_characters_stays_a_branch_name_and_nothing_runs()
    {
        var marker = _temp.Combine("pwned");
        var branch = $"x;touch${{IFS}}{marker}`touch${{IFS}}{marker}`$(touch${{IFS}}{marker})";
        var source = CreateForRepository($$""", "branch": {{JsonSerializer.Serialize(branch)}} """);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => source.PullAsync(CancellationToken.None));

        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task A_subdirectory_missing_from_the_commit_is_an_error_not_an_empty_push()
    {
        var source = CreateForRepository(""", "subdirectory": "no/such/dir" """);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => source.PullAsync(CancellationToken.None));

        Assert.Contains("subdirectory \"no/such/dir\" does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_the_server_refuses_is_an_error_saying_so()
    {
        var stranger = await SshKeyPair.GenerateAsync(_temp.Combine("config", "keys"), "stranger.key");
        var source = CreateForRepository(key: "../keys/stranger.key");

        var error = await Assert.ThrowsAnyAsync<Exception>(() => source.PullAsync(CancellationToken.None));

        Assert.Contains("Permission denied", error.Message, StringComparison.Ordinal);
        Assert.Contains(_repository.SshUrl, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(File.ReadAllLines(stranger.PrivateKeyPath)[1], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_key_file_is_an_error_naming_it()
    {
        var source = CreateForRepository(key: "../keys/absent.key");

        var error = await Assert.ThrowsAnyAsync<Exception>(() => source.PullAsync(CancellationToken.None));

        Assert.Contains(_temp.Combine("config", "keys", "absent.key"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_server_is_an_error_naming_the_repository()
    {
        var url = $"ssh://{_server.Ssh.User}@127.0.0.1:{FreePort.Next()}/srv/nothing.git";
        var source = CreateForRepository(url: url);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => source.PullAsync(CancellationToken.None));

        Assert.Contains(url, error.Message, StringComparison.Ordinal);
        Assert.Contains("Connection refused", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_with_spaces_and_quotes_in_its_path_is_handed_to_ssh_as_one_argument()
    {
        var odd = _temp.Combine("config", "keys", "it's a key");
        Directory.CreateDirectory(odd);
        File.Copy(_server.Ssh.ClientKey.PrivateKeyPath, Path.Combine(odd, "git key"));
        var source = CreateForRepository(key: "../keys/it's a key/git key");

        var snapshot = await source.PullAsync(CancellationToken.None);

        Assert.Equal("v1", Read(snapshot, "app.conf"));
    }

    [Fact]
    public async Task Two_sources_of_one_repository_pulled_at_once_share_the_cache_and_both_succeed()
    {
        var whole = CreateForRepository();
        var part = CreateForRepository(""", "subdirectory": "config", "destination_path": "config-only" """);

        var snapshots = await Task.WhenAll(whole.PullAsync(CancellationToken.None), part.PullAsync(CancellationToken.None));

        Assert.Equal(snapshots[0].Revision, snapshots[1].Revision);
        Assert.Equal("v1", Read(snapshots[0], "app.conf"));
        Assert.Equal("service v1", Read(snapshots[1], "service.conf"));
        Assert.Single(Directory.GetDirectories(Path.Combine(State, "git", "repositories")));
    }
}
