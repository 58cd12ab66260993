using System.Diagnostics;
using System.Text.Json;
using Courier.Testing;
using Xunit.Abstractions;

namespace Courier.Faults.Tests;

/// <summary>
/// A git server that logs in and never answers, or that stalls the login after its banner: its source fails at its
/// deadline and the other source is delivered, with ssh connections shared (the default) and not.
/// </summary>
public sealed class SourceFaultTests(ITestOutputHelper output) : FaultSiteTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_git_server_whose_command_hangs_fails_its_source_at_the_inactivity_deadline_and_the_other_source_is_delivered(bool reuseConnections)
    {
        // sleep reads nothing, so closing the session's input does not end it: only Courier's deadline does.
        await using var silent = await GitServer.StartAsync(new SshServerOptions { ExtraConfigLines = ["ForceCommand sleep 600"] });
        var repository = await silent.CreateRepositoryAsync("silent");
        File.Copy(silent.Ssh.ClientKey.PrivateKeyPath, Site.Root.Combine("config", "keys", "git.key"));
        UseGitSource(repository.SshUrl);
        await Site.StartHostAsync(reuseConnections: reuseConnections);

        var git = await UpdateExpectingGitFailureAsync(reuseConnections);

        Assert.Contains("received nothing within Courier:Timeouts:GitInactivity (00:00:02)", git.GetProperty("error").GetString(), StringComparison.Ordinal);
        await Site.AssertHostLeftNoProcessAsync();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_git_server_that_stalls_the_login_after_its_banner_fails_its_source_at_a_deadline_and_the_other_source_is_delivered(bool reuseConnections)
    {
        await using var stalling = StallingSshServer.Start(sendBanner: true);
        File.Copy(Site.Target.ClientKey.PrivateKeyPath, Site.Root.Combine("config", "keys", "git.key"));
        UseGitSource($"ssh://{Site.Target.User}@127.0.0.1:{stalling.Port}/srv/git/app.git");
        await Site.StartHostAsync(new Dictionary<string, string> { ["Courier:Ssh:ConnectTimeoutSeconds"] = "2" }, reuseConnections);

        var git = await UpdateExpectingGitFailureAsync(reuseConnections);

        // Shared: the connection's login deadline; on its own: nothing received by git.
        var expected = reuseConnections
            ? "did not log in within twice Courier:Ssh:ConnectTimeoutSeconds (4 s)"
            : "received nothing within Courier:Timeouts:GitInactivity (00:00:02)";
        Assert.Contains(expected, git.GetProperty("error").GetString(), StringComparison.Ordinal);
        await Site.AssertHostLeftNoProcessAsync();
    }

    private void UseGitSource(string url)
    {
        Site.Root.WriteFile("config/sources/git.json", $$"""[{"type": "git", "repositories": ["{{url}}"], "ssh_key": "../keys/git.key", "destinations": ["targets"]}]""");
        Site.WriteDestinations(Site.SshDestination());
    }

    /// <summary>Runs /update_all; the hermes-directory source is delivered, the git source's report is returned.</summary>
    private async Task<JsonElement> UpdateExpectingGitFailureAsync(bool reuseConnections)
    {
        var answered = Stopwatch.StartNew();
        var report = await Site.UpdateAllReportAsync();
        output.WriteLine($"ReuseConnections={reuseConnections}: /update_all answered in {answered.Elapsed.TotalSeconds:0.0} s");

        var sources = report.GetProperty("sources").EnumerateArray().ToList();
        var hermes = Assert.Single(sources, s => s.GetProperty("type").GetString() == "hermes-directory");
        Assert.Null(hermes.GetProperty("error").GetString());
        var delivery = Assert.Single(hermes.GetProperty("destinations").EnumerateArray().SelectMany(d => d.GetProperty("deliveries").EnumerateArray()));
        Assert.True(delivery.GetProperty("succeeded").GetBoolean(), delivery.GetProperty("error").GetString());
        Assert.Equal("v1", File.ReadAllText(Path.Combine(Site.TargetDirectory, "app", "app.conf")));
        return Assert.Single(sources, s => s.GetProperty("type").GetString() == "git");
    }
}
