using Courier.Testing;

namespace Courier.Faults.Tests;

/// <summary>A git server that logs in and never answers: its source fails at its deadline, the others go on.</summary>
public sealed class SourceFaultTests : IAsyncLifetime
{
    private FaultSite _site = null!;

    public async Task InitializeAsync() => _site = await FaultSite.CreateAsync();

    public async Task DisposeAsync() => await _site.DisposeAsync();

    [Fact]
    public async Task A_git_server_that_logs_in_and_never_answers_fails_its_source_at_the_inactivity_deadline_and_the_other_source_is_delivered()
    {
        await using var silent = await GitServer.StartAsync(new SshServerOptions { ExtraConfigLines = ["ForceCommand cat >/dev/null"] });
        var repository = await silent.CreateRepositoryAsync("silent");
        File.Copy(silent.Ssh.ClientKey.PrivateKeyPath, _site.Root.Combine("config", "keys", "git.key"));
        _site.Root.WriteFile("config/sources/git.json", $$"""[{"type": "git", "repositories": ["{{repository.SshUrl}}"], "ssh_key": "../keys/git.key", "destinations": ["targets"]}]""");
        _site.WriteDestinations(_site.SshDestination());
        await _site.StartHostAsync();

        var report = await _site.UpdateAllReportAsync();

        var sources = report.GetProperty("sources").EnumerateArray().ToList();
        var git = Assert.Single(sources, s => s.GetProperty("type").GetString() == "git");
        Assert.Contains("Courier:Timeouts:GitInactivity (00:00:02)", git.GetProperty("error").GetString(), StringComparison.Ordinal);
        var hermes = Assert.Single(sources, s => s.GetProperty("type").GetString() == "hermes-directory");
        Assert.Null(hermes.GetProperty("error").GetString());
        var delivery = Assert.Single(hermes.GetProperty("destinations").EnumerateArray().SelectMany(d => d.GetProperty("deliveries").EnumerateArray()));
        Assert.True(delivery.GetProperty("succeeded").GetBoolean(), delivery.GetProperty("error").GetString());
        Assert.Equal("v1", File.ReadAllText(Path.Combine(_site.TargetDirectory, "app", "app.conf")));
        await _site.AssertHostLeftNoProcessAsync();
    }
}
