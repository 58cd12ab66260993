using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Courier.Testing;

namespace Courier.Host.Tests;

/// <summary>
/// The published host delivering git repositories served over a real sshd to a real sshd target: docs/operating.md's git
/// examples, <c>/update_from_git</c> and GitLab's push web hook.
/// </summary>
public sealed class GitDeliveryTests : IAsyncLifetime
{
    private HermesSetup _setup = null!;
    private GitServer _git = null!;
    private GitRepository _chess = null!;
    private GitRepository _checkers = null!;
    private GitRepository _go = null!;

    public async Task InitializeAsync()
    {
        _setup = await HermesSetup.CreateAsync();
        _git = await GitServer.StartAsync();
        _chess = await _git.CreateRepositoryAsync("chess", "dev", new Dictionary<string, string>
        {
            ["README.md"] = "the chess service",
            ["config/app.conf"] = "chess v1",
            ["config/old.conf"] = "to be deleted",
        });
        _checkers = await _git.CreateRepositoryAsync("checkers-config", "dev", new Dictionary<string, string> { ["checkers.conf"] = "checkers v1" });
        _go = await _git.CreateRepositoryAsync("go-config", "dev", new Dictionary<string, string> { ["go.conf"] = "go v1" });

        // The git server's key, readable by others as keys often arrive, at docs/operating.md's place relative to the sources.
        var key = Path.Combine(_setup.ConfigDirectory, "keys", "ci@git.initech.com.key");
        File.Copy(_git.Ssh.ClientKey.PrivateKeyPath, key);
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        _setup.WriteDestinations($$"""{"courier@sandbox": {{_setup.SshDestination()}}}""");
    }

    public async Task DisposeAsync()
    {
        await _git.DisposeAsync();
        await _setup.DisposeAsync();
    }

    private void WriteReadmeSources()
    {
        _setup.WriteSources("games.json", $$"""
            [
                {
                    "type": "git",
                    "repositories": ["{{_checkers.SshUrl}}", "{{_go.SshUrl}}"],
                    "branch": "dev",
                    "ssh_key": "../keys/ci@git.initech.com.key",
                    "destinations": ["courier@sandbox"]
                }
            ]
            """);
        _setup.WriteSources("chess.json", $$"""
            [
                {
                    "type": "git",
                    "repositories": ["{{_chess.SshUrl}}"],
                    "subdirectory": "config",
                    "destination_path": "chess-config",
                    "branch": "dev",
                    "ssh_key": "../keys/ci@git.initech.com.key",
                    "destinations": ["courier@sandbox"]
                }
            ]
            """);
    }

    [Fact]
    public async Task The_readme_git_examples_deliver_over_ssh_with_a_key_relative_to_the_sources_file()
    {
        WriteReadmeSources();
        await using var host = await _setup.StartHostAsync();

        Assert.Equal((HttpStatusCode.OK, "ok"), await host.PostAsync("/update_all"));

        Assert.Equal("checkers v1", _setup.ReadTarget("checkers-config/checkers.conf"));
        Assert.Equal("go v1", _setup.ReadTarget("go-config/go.conf"));
        Assert.Equal("chess v1", _setup.ReadTarget("chess-config/app.conf"));
        Assert.Null(_setup.ReadTarget("chess-config/README.md"));
        Assert.False(Directory.Exists(Path.Combine(_setup.TargetDirectory, "chess-config", ".git")));
    }

    [Fact]
    public async Task Update_from_git_delivers_only_the_sources_of_that_repository_and_branch()
    {
        WriteReadmeSources();
        await using var host = await _setup.StartHostAsync();

        Assert.Equal((HttpStatusCode.OK, "ok"), await host.PostAsync("/update_from_git", JsonSerializer.Serialize(new { url = _chess.SshUrl, branch = "master" })));
        Assert.Null(_setup.ReadTarget("chess-config/app.conf"));

        var (status, json) = await host.PostAsync("/update_from_git", JsonSerializer.Serialize(new { url = _chess.SshUrl, branch = "dev" }), acceptJson: true);

        Assert.Equal(HttpStatusCode.OK, status);
        using var report = JsonDocument.Parse(json);
        var source = Assert.Single(report.RootElement.GetProperty("sources").EnumerateArray());
        Assert.Equal(await Git.RunAsync(_chess.WorkPath, ["rev-parse", "HEAD"]), source.GetProperty("revision").GetString());
        Assert.Equal("chess v1", _setup.ReadTarget("chess-config/app.conf"));
        Assert.Null(_setup.ReadTarget("checkers-config/checkers.conf"));
        Assert.Null(_setup.ReadTarget("go-config/go.conf"));
    }

    [Fact]
    public async Task A_gitlab_push_is_queued_at_once_and_brings_the_new_commit_with_its_deletions_to_the_destination()
    {
        WriteReadmeSources();
        await using var host = await _setup.StartHostAsync();
        Assert.Equal((HttpStatusCode.OK, "ok"), await host.PostAsync("/update_all"));
        Assert.Equal("to be deleted", _setup.ReadTarget("chess-config/old.conf"));

        await _chess.WriteFileAsync("config/app.conf", "chess v2");
        await _chess.DeleteFileAsync("config/old.conf");
        var after = await _chess.CommitAndPushAsync("chess v2", branch: "dev");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/gitlab_web_hook")
        {
            Content = new StringContent(GitLabPushEvent("refs/heads/dev", after), Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.Add("X-Gitlab-Event", "Push Hook");
        using var answer = await host.Client.SendAsync(request);

        Assert.True(answer.IsSuccessStatusCode, $"{answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (_setup.ReadTarget("chess-config/app.conf") != "chess v2" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal("chess v2", _setup.ReadTarget("chess-config/app.conf"));
        Assert.Null(_setup.ReadTarget("chess-config/old.conf"));
        Assert.Equal("checkers v1", _setup.ReadTarget("checkers-config/checkers.conf"));
    }

    [Fact]
    public async Task A_git_source_that_cannot_be_pulled_fails_alone_and_its_destination_keeps_its_files()
    {
        _setup.WriteSources("broken.json", $$"""
            [
                {"type": "git", "repositories": ["{{_checkers.SshUrl}}"], "branch": "no-such-branch", "ssh_key": "../keys/ci@git.initech.com.key", "destinations": ["courier@sandbox"]},
                {"type": "git", "repositories": ["{{_go.SshUrl}}"], "branch": "dev", "ssh_key": "../keys/ci@git.initech.com.key", "destinations": ["courier@sandbox"]},
                {"type": "git", "repositories": ["{{_chess.SshUrl}}", "{{_go.SshUrl}}"], "destination_path": "two", "destinations": ["courier@sandbox"]}
            ]
            """);
        Directory.CreateDirectory(Path.Combine(_setup.TargetDirectory, "checkers-config"));
        File.WriteAllText(Path.Combine(_setup.TargetDirectory, "checkers-config", "checkers.conf"), "what production runs");
        await using var host = await _setup.StartHostAsync();

        var (status, json) = await host.PostAsync("/update_all", acceptJson: true);

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal("go v1", _setup.ReadTarget("go-config/go.conf"));
        Assert.Equal("what production runs", _setup.ReadTarget("checkers-config/checkers.conf"));
        using var report = JsonDocument.Parse(json);
        var error = Assert.Single(report.RootElement.GetProperty("sources").EnumerateArray(), s => s.GetProperty("error").ValueKind == JsonValueKind.String);
        Assert.Contains("\"no-such-branch\" does not exist", error.GetProperty("error").GetString(), StringComparison.Ordinal);
        var configurationError = Assert.Single(report.RootElement.GetProperty("configuration_errors").EnumerateArray()).GetString();
        Assert.Contains("broken.json entry #3", configurationError, StringComparison.Ordinal);
        Assert.Contains("exactly one repository", configurationError, StringComparison.Ordinal);
    }

    /// <summary>A push event as GitLab sends it (its documented example, pointed at the test's repository).</summary>
    private string GitLabPushEvent(string gitRef, string after)
    {
        var sshUrl = _chess.SshUrl.Replace($"{_git.Ssh.User}@", "git@", StringComparison.Ordinal);
        var httpUrl = $"http://{_git.Ssh.Host}{_chess.BarePath}";
        return JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["object_kind"] = "push",
            ["event_name"] = "push",
            ["before"] = "95790bf891e76fee5e1747ab589903a6a1f80f22",
            ["after"] = after,
            ["ref"] = gitRef,
            ["ref_protected"] = true,
            ["checkout_sha"] = after,
            ["user_id"] = 4,
            ["user_name"] = "John Smith",
            ["user_username"] = "jsmith",
            ["user_email"] = "john@example.com",
            ["project_id"] = 15,
            ["project"] = new Dictionary<string, object?>
            {
                ["id"] = 15,
                ["name"] = "chess",
                ["web_url"] = httpUrl[..^4],
                ["git_ssh_url"] = sshUrl,
                ["git_http_url"] = httpUrl,
                ["namespace"] = "games",
                ["path_with_namespace"] = "games/chess",
                ["default_branch"] = "master",
                ["url"] = sshUrl,
                ["ssh_url"] = sshUrl,
                ["http_url"] = httpUrl,
            },
            ["repository"] = new Dictionary<string, object?>
            {
                ["name"] = "chess",
                ["url"] = sshUrl,
                ["description"] = "",
                ["homepage"] = httpUrl[..^4],
                ["git_http_url"] = httpUrl,
                ["git_ssh_url"] = sshUrl,
                ["visibility_level"] = 0,
            },
            ["commits"] = new[]
            {
                new Dictionary<string, object?> { ["id"] = after, ["message"] = "chess v2", ["added"] = Array.Empty<string>(), ["modified"] = new[] { "config/app.conf" }, ["removed"] = new[] { "config/old.conf" } },
            },
            ["total_commits_count"] = 1,
        });
    }
}
