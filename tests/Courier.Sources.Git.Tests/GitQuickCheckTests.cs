using System.Text.Json;
using Courier.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Sources.Git.Tests;

/// <summary>
/// Git snapshots are pushed with rsync's quick check (size and time): every change must still arrive, including a
/// same-size edit made within the second of the previous version.
/// </summary>
public sealed class GitQuickCheckTests : IAsyncLifetime
{
    private const string Content = "version 0000 of the app's configuration\n";
    private readonly TempDirectory _temp = TempDirectory.Create("courier-git-quick");
    private GitServer _server = null!;
    private SshServer _target = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _server = await GitServer.StartAsync();
        _target = await SshServer.StartAsync();
        _services = new ServiceCollection()
            .AddCourier(o =>
            {
                o.StateDirectory = _temp.Combine("state");
                o.Ssh.StrictHostKeyChecking = "no";
            })
            .AddGitSource()
            .Services.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _target.DisposeAsync();
        await _server.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task Each_pull_stamps_what_it_writes_a_whole_second_later_than_before_and_leaves_the_rest_alone()
    {
        var (repository, source) = await CreateSourceAsync();
        var first = await source.PullAsync(CancellationToken.None);
        var changedBefore = File.GetLastWriteTimeUtc(Path.Combine(first.LocalDirectory, "app.conf"));
        var unchangedBefore = File.GetLastWriteTimeUtc(Path.Combine(first.LocalDirectory, "other.conf"));

        await repository.WriteFileAsync("app.conf", Content.Replace("0000", "0001", StringComparison.Ordinal));
        await repository.CommitAndPushAsync("same size");
        var second = await source.PullAsync(CancellationToken.None);

        Assert.True(second.FileTimesTrackChanges);
        var changedAfter = File.GetLastWriteTimeUtc(Path.Combine(second.LocalDirectory, "app.conf"));
        Assert.True(WholeSeconds(changedAfter) > WholeSeconds(changedBefore), $"{changedAfter:O} is not a whole second after {changedBefore:O}");
        Assert.Equal(unchangedBefore, File.GetLastWriteTimeUtc(Path.Combine(second.LocalDirectory, "other.conf")));
    }

    [Fact]
    public async Task A_same_size_edit_within_the_second_of_the_previous_one_arrives()
    {
        var (repository, source) = await CreateSourceAsync();
        var transfer = _services.GetRequiredService<IFileTransfer>();
        var address = new HermesAddress(_target.Endpoint, _temp.Combine("target"));
        var login = new SshLogin(_target.User, _target.ClientKey.PrivateKeyPath, Sudo: false);
        var delivered = Path.Combine(address.Path, "quick", "app.conf");
        var previousExportSecond = -1L;
        var withinOneSecond = 0;

        // Rounds take well under a second: they go on until several exports were written in the second of the one before.
        for (var round = 1; round <= 40 && withinOneSecond < 3; round++)
        {
            var content = Content.Replace("0000", round.ToString("0000", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
            await repository.WriteFileAsync("app.conf", content);
            await repository.CommitAndPushAsync($"round {round}");
            var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var snapshot = await source.PullAsync(CancellationToken.None);
            var exportSecond = DateTimeOffset.UtcNow.ToUnixTimeSeconds() == before ? before : -1;
            var result = await transfer.PushAsync(snapshot, address, login, gateway: null, CancellationToken.None);

            Assert.True(result.Succeeded, result.Error);
            Assert.Equal(content, File.ReadAllText(delivered));
            withinOneSecond += exportSecond >= 0 && exportSecond == previousExportSecond ? 1 : 0;
            previousExportSecond = exportSecond;
        }

        Assert.True(withinOneSecond >= 3, "the edits never came within one second of each other; the case was not exercised.");
    }

    private async Task<(GitRepository Repository, ISource Source)> CreateSourceAsync()
    {
        var repository = await _server.CreateRepositoryAsync("quick", "master", new Dictionary<string, string>
        {
            ["app.conf"] = Content,
            ["other.conf"] = "never changes",
        });
        var json = $$"""{"type": "git", "repositories": ["{{repository.FileUrl}}"], "destination_path": "quick", "destinations": ["target"]}""";
        var file = _temp.WriteFile("config/sources/git.json", $"[{json}]");
        using var document = JsonDocument.Parse(json);
        var factory = _services.GetServices<ISourceFactory>().Single(f => f.Type == "git");
        return (repository, Assert.Single(factory.Create(new SourceDefinition(document.RootElement.Clone(), file, 0))));
    }

    private static long WholeSeconds(DateTime time) => new DateTimeOffset(time).ToUnixTimeSeconds();
}
