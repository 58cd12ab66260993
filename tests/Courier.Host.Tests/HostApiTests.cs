using System.Net;
using System.Text.Json;
using Courier.Testing;

namespace Courier.Host.Tests;

/// <summary>The published host as a real process, over real HTTP, delivering to a real sshd.</summary>
public sealed class HostApiTests : IAsyncLifetime
{
    private HermesSetup _setup = null!;

    public async Task InitializeAsync() => _setup = await HermesSetup.CreateAsync();

    public async Task DisposeAsync() => await _setup.DisposeAsync();

    [Fact]
    public async Task Welcome_health_and_hermes_address_answer_as_the_original()
    {
        await using var host = await _setup.StartHostAsync();

        Assert.Equal("Welcome to courier.\nenv=\napp_id=\n", await host.Client.GetStringAsync("/"));
        Assert.Equal("ok", await host.Client.GetStringAsync("/health"));
        using var address = JsonDocument.Parse(await host.Client.GetStringAsync("/hermes_address"));
        Assert.Equal("127.0.0.1:2222", address.RootElement.GetProperty("ssh").GetString());
        Assert.Equal(_setup.HermesDirectory, address.RootElement.GetProperty("path").GetString());
    }

    [Fact]
    public async Task Update_all_delivers_a_hermes_subdirectory_renamed_to_its_destination_path()
    {
        _setup.WriteHermesFile("to-upload/app.conf", "v1");
        _setup.WriteHermesFile("to-upload/nested/deep.conf", "deep");
        _setup.WriteSources("upload.json", """[{"type": "hermes-directory", "subdirectory": "to-upload", "destination_path": "uploaded", "destinations": ["target"]}]""");
        _setup.WriteDestinations($$"""{"target": {{_setup.SshDestination()}}}""");
        await using var host = await _setup.StartHostAsync();

        var (status, body) = await host.PostAsync("/update_all");

        Assert.Equal((HttpStatusCode.OK, "ok"), (status, body));
        Assert.Equal("v1", _setup.ReadTarget("uploaded/app.conf"));
        Assert.Equal("deep", _setup.ReadTarget("uploaded/nested/deep.conf"));
        Assert.False(Directory.Exists(Path.Combine(_setup.TargetDirectory, "to-upload")));
    }

    [Fact]
    public async Task Changes_and_deletions_reach_the_destination()
    {
        _setup.WriteHermesFile("to-upload/keep.conf", "v1");
        _setup.WriteHermesFile("to-upload/gone.conf", "bye");
        _setup.WriteSources("upload.json", """[{"type": "hermes-directory", "subdirectory": "to-upload", "destinations": ["target"]}]""");
        _setup.WriteDestinations($$"""{"target": {{_setup.SshDestination()}}}""");
        await using var host = await _setup.StartHostAsync();
        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync("/update_all")).Status);
        Assert.Equal("bye", _setup.ReadTarget("to-upload/gone.conf"));

        _setup.WriteHermesFile("to-upload/keep.conf", "v2");
        File.Delete(Path.Combine(_setup.HermesDirectory, "to-upload", "gone.conf"));
        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync("/update_all")).Status);

        Assert.Equal("v2", _setup.ReadTarget("to-upload/keep.conf"));
        Assert.Null(_setup.ReadTarget("to-upload/gone.conf"));
    }

    [Fact]
    public async Task Update_from_hermes_directory_delivers_only_the_sources_of_that_subdirectory()
    {
        _setup.WriteHermesFile("a/a.conf", "a");
        _setup.WriteHermesFile("b/b.conf", "b");
        _setup.WriteSources("ab.json", """
            [{"type": "hermes-directory", "subdirectory": "a", "destinations": ["target"]},
             {"type": "hermes-directory", "subdirectory": "b", "destinations": ["target"]}]
            """);
        _setup.WriteDestinations($$"""{"target": {{_setup.SshDestination()}}}""");
        await using var host = await _setup.StartHostAsync();

        Assert.Equal((HttpStatusCode.OK, "ok"), await host.PostAsync("/update_from_hermes_directory", """{"subdirectory": "b"}"""));

        Assert.Equal("b", _setup.ReadTarget("b/b.conf"));
        Assert.Null(_setup.ReadTarget("a/a.conf"));
    }

    [Fact]
    public async Task Update_from_hermes_directory_without_a_body_delivers_the_whole_directory_contents()
    {
        _setup.WriteHermesFile("service/app.conf", "whole");
        _setup.WriteHermesFile("top.conf", "top");
        _setup.WriteSources("all.json", """[{"type": "hermes-directory", "destinations": ["target"]}, {"type": "hermes-directory", "subdirectory": "service", "destination_path": "elsewhere", "destinations": ["target"]}]""");
        _setup.WriteDestinations($$"""{"target": {{_setup.SshDestination()}}}""");
        await using var host = await _setup.StartHostAsync();

        Assert.Equal((HttpStatusCode.OK, "ok"), await host.PostAsync("/update_from_hermes_directory"));

        Assert.Equal("top", _setup.ReadTarget("top.conf"));
        Assert.Equal("whole", _setup.ReadTarget("service/app.conf"));
        Assert.Null(_setup.ReadTarget("elsewhere/app.conf"));
    }

    [Fact]
    public async Task Update_hermes_pushes_every_source_to_the_given_address_with_the_host_login()
    {
        _setup.WriteHermesFile("to-upload/app.conf", "for an agent");
        _setup.WriteSources("upload.json", """[{"type": "hermes-directory", "subdirectory": "to-upload", "destinations": ["nowhere"]}]""");
        var agentPath = _setup.Root.Combine("agent-etc-opt");
        Directory.CreateDirectory(agentPath);
        await using var host = await _setup.StartHostAsync();

        var answer = await host.PostAsync("/update_hermes", $$"""{"ssh": "{{_setup.Target.Endpoint}}", "path": "{{agentPath}}"}""");

        Assert.Equal((HttpStatusCode.OK, "ok"), answer);
        Assert.Equal("for an agent", File.ReadAllText(Path.Combine(agentPath, "to-upload", "app.conf")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_setup.KeyPath));
    }

    [Theory]
    [InlineData("/update_hermes", "{\"ssh\": ", "not valid JSON")]
    [InlineData("/update_hermes", "[1]", "must be a JSON object")]
    [InlineData("/update_hermes", "{\"ssh\": 22, \"path\": \"/etc/opt\"}", "\"ssh\" must be a string")]
    [InlineData("/update_hermes", "{\"path\": \"/etc/opt\"}", "needs \"ssh\"")]
    [InlineData("/update_hermes", "{\"ssh\": \"host:99999\", \"path\": \"/etc/opt\"}", "port")]
    [InlineData("/update_hermes", "{\"ssh\": \"host:22\", \"path\": \"etc/opt\"}", "absolute")]
    [InlineData("/update_hermes", "", "needs a JSON body")]
    [InlineData("/update_from_hermes_directory", "{\"subdirectory\": [\"x\"]}", "\"subdirectory\" must be a string")]
    [InlineData("/update_from_git", "{\"branch\": \"dev\"}", "needs \"url\"")]
    [InlineData("/gitlab_web_hook", "{\"object_kind\": \"push\", \"ref\": \"refs/heads/dev\"}", "repository is missing")]
    public async Task Bad_requests_answer_400_saying_what_is_wrong(string path, string body, string expected)
    {
        await using var host = await _setup.StartHostAsync();

        var (status, text) = await host.PostAsync(path, body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broken_source_and_an_unreachable_destination_fail_alone_and_the_report_says_why()
    {
        _setup.WriteHermesFile("good/app.conf", "good");
        var sources = _setup.Root.WriteFile("config/sources/mixed.json", """
            [{"type": "hermes-directory", "subdirectory": "good", "destinations": ["target", "dead"]},
             {"type": "hermes-directory", "subdirectory": "missing", "destinations": ["target"]},
             {"type": "no-such-type"}]
            """);
        _setup.WriteDestinations($$"""{"target": {{_setup.SshDestination()}}, "dead": {{_setup.SshDestination(address: $"127.0.0.1:{FreePort.Next()}")}}}""");
        await using var host = await _setup.StartHostAsync();

        Assert.Equal((HttpStatusCode.InternalServerError, "There were errors. Check logs for details."), await host.PostAsync("/update_all"));
        Assert.Equal("good", _setup.ReadTarget("good/app.conf"));

        var (status, json) = await host.PostAsync("/update_all", acceptJson: true);
        Assert.Equal(HttpStatusCode.InternalServerError, status);
        using var report = JsonDocument.Parse(json);
        var root = report.RootElement;
        Assert.False(root.GetProperty("succeeded").GetBoolean());
        var configurationError = Assert.Single(root.GetProperty("configuration_errors").EnumerateArray()).GetString();
        Assert.Contains(sources, configurationError, StringComparison.Ordinal);
        Assert.Contains("no-such-type", configurationError, StringComparison.Ordinal);
        Assert.Contains("hermes-directory", configurationError, StringComparison.Ordinal);

        var bySource = root.GetProperty("sources").EnumerateArray().ToDictionary(s => s.GetProperty("source").GetString()!);
        Assert.Contains("does not exist", bySource["hermes-directory:missing"].GetProperty("error").GetString(), StringComparison.Ordinal);
        var good = bySource["hermes-directory:good"].GetProperty("destinations").EnumerateArray().ToDictionary(d => d.GetProperty("alias").GetString()!);
        Assert.True(good["target"].GetProperty("succeeded").GetBoolean());
        var dead = Assert.Single(good["dead"].GetProperty("deliveries").EnumerateArray());
        Assert.False(dead.GetProperty("succeeded").GetBoolean());
        Assert.Contains("rsync", dead.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_hermes_directory_is_never_pushed_and_the_destination_keeps_its_files()
    {
        Directory.CreateDirectory(Path.Combine(_setup.HermesDirectory, "to-upload"));
        Directory.CreateDirectory(Path.Combine(_setup.TargetDirectory, "to-upload"));
        File.WriteAllText(Path.Combine(_setup.TargetDirectory, "to-upload", "precious.conf"), "keep me");
        _setup.WriteSources("upload.json", """[{"type": "hermes-directory", "subdirectory": "to-upload", "destinations": ["target"]}]""");
        _setup.WriteDestinations($$"""{"target": {{_setup.SshDestination()}}}""");
        await using var host = await _setup.StartHostAsync();

        var (status, json) = await host.PostAsync("/update_all", acceptJson: true);

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Contains("empty", json, StringComparison.Ordinal);
        Assert.Equal("keep me", _setup.ReadTarget("to-upload/precious.conf"));
    }

    [Fact]
    public async Task An_alias_missing_from_destinations_json_is_an_error_naming_the_alias_and_the_file()
    {
        _setup.WriteHermesFile("to-upload/app.conf", "x");
        _setup.WriteSources("upload.json", """[{"type": "hermes-directory", "subdirectory": "to-upload", "destinations": ["courier@nowhere"]}]""");
        _setup.WriteDestinations("{}");
        await using var host = await _setup.StartHostAsync();

        var (status, json) = await host.PostAsync("/update_all", acceptJson: true);

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Contains("courier@nowhere", json, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_setup.ConfigDirectory, "destinations.json"), json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_host_updates_every_source_at_start_when_asked()
    {
        _setup.WriteHermesFile("to-upload/app.conf", "at start");
        _setup.WriteSources("upload.json", """[{"type": "hermes-directory", "subdirectory": "to-upload", "destinations": ["target"]}]""");
        _setup.WriteDestinations($$"""{"target": {{_setup.SshDestination()}}}""");

        await using var host = await _setup.StartHostAsync(updateAllOnStart: true);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (_setup.ReadTarget("to-upload/app.conf") is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal("at start", _setup.ReadTarget("to-upload/app.conf"));
    }

    [Fact]
    public async Task Configuration_changes_apply_without_a_restart()
    {
        _setup.WriteHermesFile("one/a.conf", "1");
        _setup.WriteHermesFile("two/b.conf", "2");
        _setup.WriteSources("s.json", """[{"type": "hermes-directory", "subdirectory": "one", "destinations": ["target"]}]""");
        _setup.WriteDestinations($$"""{"target": {{_setup.SshDestination()}}}""");
        await using var host = await _setup.StartHostAsync();
        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync("/update_all")).Status);
        Assert.Null(_setup.ReadTarget("two/b.conf"));

        _setup.WriteSources("s.json", """[{"type": "hermes-directory", "subdirectory": "two", "destinations": ["target"]}]""");

        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync("/update_all")).Status);
        Assert.Equal("2", _setup.ReadTarget("two/b.conf"));
    }

    [Fact]
    public async Task Gitlab_events_other_than_branch_pushes_are_acknowledged_and_ignored()
    {
        await using var host = await _setup.StartHostAsync();

        var (status, body) = await host.PostAsync("/gitlab_web_hook", """{"object_kind": "tag_push", "ref": "refs/tags/v1", "repository": {"url": "x"}}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("ignored", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_gitlab_hook_without_the_configured_token_is_refused()
    {
        await using var host = await _setup.StartHostAsync(new Dictionary<string, string> { ["Courier:GitLabToken"] = "s3cret-token" });

        var (status, _) = await host.PostAsync("/gitlab_web_hook", """{"object_kind": "push", "ref": "refs/heads/master", "repository": {"url": "x"}}""");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.DoesNotContain("s3cret-token", host.Logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_name_every_transfer_and_never_contain_key_material()
    {
        _setup.WriteHermesFile("to-upload/app.conf", "x");
        _setup.WriteSources("upload.json", """[{"type": "hermes-directory", "subdirectory": "to-upload", "destinations": ["target"]}]""");
        _setup.WriteDestinations($$"""{"target": {{_setup.SshDestination()}}}""");
        await using var host = await _setup.StartHostAsync(new Dictionary<string, string> { ["Logging:LogLevel:Default"] = "Debug" });

        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync("/update_all")).Status);
        await host.StopAsync();

        Assert.Contains("Pushed hermes-directory:to-upload", host.Logs, StringComparison.Ordinal);
        Assert.Contains("exit code 0", host.Logs, StringComparison.Ordinal);
        var keyBody = File.ReadAllLines(_setup.KeyPath).Where(line => !line.StartsWith("-----", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(keyBody);
        Assert.All(keyBody, line => Assert.DoesNotContain(line, host.Logs, StringComparison.Ordinal));
    }
}
