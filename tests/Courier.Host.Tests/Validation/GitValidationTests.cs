using System.Net;
using System.Text.Json;
using Courier.Host.Tests.Visibility;
using Courier.Testing;

namespace Courier.Host.Tests.Validation;

/// <summary>The published host validating git snapshots (served over a real sshd) before it delivers them to a real sshd target.</summary>
public sealed class GitValidationTests : IAsyncLifetime
{
    private HermesSetup _setup = null!;
    private GitServer _git = null!;
    private GitRepository _site = null!;

    public async Task InitializeAsync()
    {
        _setup = await HermesSetup.CreateAsync();
        _git = await GitServer.StartAsync();
        _site = await _git.CreateRepositoryAsync("site-config", "dev", new Dictionary<string, string>
        {
            ["README.md"] = "the site",
            ["config/site.json"] = "{\"listen\": 80}",
            ["config/app.yml"] = "name: site\n",
        });
        var key = Path.Combine(_setup.ConfigDirectory, "keys", "git.key");
        File.Copy(_git.Ssh.ClientKey.PrivateKeyPath, key);
        _setup.WriteDestinations($$"""{"target": {{_setup.SshDestination()}}}""");
    }

    public async Task DisposeAsync()
    {
        await _git.DisposeAsync();
        await _setup.DisposeAsync();
    }

    [Fact]
    public async Task A_commit_that_passes_is_delivered_its_check_sees_the_snapshot_and_the_commit_and_a_broken_commit_is_not()
    {
        var seen = _setup.Root.Combine("seen.txt");
        var script = $$"""printf '%s\n' "$1" "$2" "$PWD" "$COURIER_SNAPSHOT" "$COURIER_REVISION" "$COURIER_SOURCE" > '{{seen}}'""";
        _setup.WriteSources("site.json", $$"""
            [{"type": "git", "repositories": ["{{_site.SshUrl}}"], "branch": "dev", "subdirectory": "config", "ssh_key": "../keys/git.key",
              "destinations": ["target"],
              "validate": ["json", {"builtin": "yaml", "timeout": 30}, {"command": ["sh", "-c", {{JsonSerializer.Serialize(script)}}, "check", "{snapshot}", "{revision}"], "timeout": "00:00:20"}]}]
            """);
        await using var host = await _setup.StartHostAsync();

        var (status, _, report) = await DeliveryScenario.PostAsync(host, "/update_all");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("{\"listen\": 80}", _setup.ReadTarget("site-config/site.json"));
        var commit = await Git.RunAsync(_site.WorkPath, ["rev-parse", "HEAD"]);
        var source = Assert.Single(report.GetProperty("sources").EnumerateArray());
        Assert.Equal(commit, source.GetProperty("revision").GetString());
        Assert.True(source.GetProperty("validation").GetProperty("passed").GetBoolean());
        var lines = File.ReadAllLines(seen);
        Assert.Equal(6, lines.Length);
        var snapshot = lines[0];
        Assert.StartsWith(_setup.StateDirectory, snapshot, StringComparison.Ordinal);
        Assert.Equal([snapshot, commit, snapshot, snapshot, commit, source.GetProperty("source").GetString()!], lines);

        await _site.WriteFileAsync("config/site.json", "{\"listen\": }");
        await _site.WriteFileAsync("config/app.yml", "name: site v2\n");
        var broken = await _site.CommitAndPushAsync("broken json", branch: "dev");
        (status, _, report) = await DeliveryScenario.PostAsync(host, "/update_all");

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        source = Assert.Single(report.GetProperty("sources").EnumerateArray());
        Assert.Equal(broken, source.GetProperty("revision").GetString());
        Assert.Equal("json", source.GetProperty("validation").GetProperty("check").GetString());
        Assert.StartsWith("site.json: ", source.GetProperty("validation").GetProperty("output").GetString(), StringComparison.Ordinal);
        Assert.Equal("{\"listen\": 80}", _setup.ReadTarget("site-config/site.json"));
        Assert.Equal("name: site\n", _setup.ReadTarget("site-config/app.yml"));
        var target = Assert.Single(Assert.Single((await DeliveryScenario.GetJsonAsync(host, "/status")).GetProperty("sources").EnumerateArray()).GetProperty("targets").EnumerateArray());
        Assert.Equal(commit, target.GetProperty("last_success").GetProperty("revision").GetString());
    }
}
