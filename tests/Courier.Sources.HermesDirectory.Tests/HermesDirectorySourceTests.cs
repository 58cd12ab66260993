using System.Text.Json;
using Courier.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Sources.HermesDirectory.Tests;

public sealed class HermesDirectorySourceTests : IDisposable
{
    private readonly TempDirectory _temp = TempDirectory.Create("courier-hermes-source");

    public void Dispose() => _temp.Dispose();

    private string Hermes => _temp.Combine("hermes");

    private ISourceFactory Factory() =>
        new ServiceCollection()
            .AddCourier(o =>
            {
                o.HermesDirectory = Hermes;
                o.StateDirectory = _temp.Combine("state");
            })
            .AddHermesDirectorySource()
            .Services.BuildServiceProvider()
            .GetServices<ISourceFactory>()
            .Single(f => f.Type == "hermes-directory");

    private ISource Create(string json)
    {
        var file = _temp.WriteFile("config/sources/s.json", $"[{json}]");
        using var document = JsonDocument.Parse(json);
        return Assert.Single(Factory().Create(new SourceDefinition(document.RootElement.Clone(), file, 0)));
    }

    private CourierConfigurationException CreateFails(string json) => Assert.Throws<CourierConfigurationException>(() => Create(json));

    [Fact]
    public void Registers_under_the_hermes_directory_type() => Assert.Equal("hermes-directory", Factory().Type);

    [Fact]
    public async Task The_whole_directory_s_revision_follows_release_links_and_ignores_the_releases_themselves()
    {
        _temp.WriteFile("hermes/.courier/releases/app/r1-1/app.conf", "v1");
        _temp.WriteFile("hermes/.courier/releases/app/r2-2/app.conf", "v2 longer");
        Directory.CreateSymbolicLink(Path.Combine(Hermes, "app"), ".courier/releases/app/r1-1");
        var source = Create("""{"type": "hermes-directory", "destinations": ["d"]}""");

        var onFirst = await source.PullAsync(CancellationToken.None);
        _temp.WriteFile("hermes/.courier/releases/app/r3-3/unrelated.conf", "a release not live changes nothing");
        Assert.Equal(onFirst.Revision, (await source.PullAsync(CancellationToken.None)).Revision);

        File.Delete(Path.Combine(Hermes, "app"));
        Directory.CreateSymbolicLink(Path.Combine(Hermes, "app"), ".courier/releases/app/r2-2");

        Assert.NotEqual(onFirst.Revision, (await source.PullAsync(CancellationToken.None)).Revision);
    }

    [Fact]
    public async Task A_subdirectory_is_delivered_under_its_destination_path()
    {
        _temp.WriteFile("hermes/to-upload/a.conf", "a");
        var source = Create("""{"type": "hermes-directory", "subdirectory": "to-upload", "destination_path": "uploaded", "destinations": ["armada@office"]}""");

        var snapshot = await source.PullAsync(CancellationToken.None);

        Assert.Equal(Path.Combine(Hermes, "to-upload"), snapshot.LocalDirectory);
        Assert.Equal("uploaded", snapshot.DestinationPath);
        Assert.Equal(["armada@office"], source.Destinations);
    }

    [Fact]
    public async Task The_destination_path_defaults_to_the_subdirectory()
    {
        _temp.WriteFile("hermes/to-upload/a.conf", "a");

        var snapshot = await Create("""{"type": "hermes-directory", "subdirectory": "to-upload/"}""").PullAsync(CancellationToken.None);

        Assert.Equal("to-upload", snapshot.DestinationPath);
    }

    [Fact]
    public async Task Without_a_subdirectory_the_directory_contents_are_delivered()
    {
        _temp.WriteFile("hermes/a.conf", "a");

        var snapshot = await Create("""{"type": "hermes-directory"}""").PullAsync(CancellationToken.None);

        Assert.True(snapshot.DeliversContents);
        Assert.Equal(Hermes, snapshot.LocalDirectory);
    }

    [Fact]
    public async Task A_missing_or_empty_directory_is_refused_so_delete_never_wipes_a_destination()
    {
        var missing = await Assert.ThrowsAsync<DirectoryNotFoundException>(() => Create("""{"type": "hermes-directory", "subdirectory": "nope"}""").PullAsync(CancellationToken.None));
        Assert.Contains("refusing", missing.Message, StringComparison.Ordinal);

        Directory.CreateDirectory(Path.Combine(Hermes, "empty", "only-directories"));
        var empty = await Assert.ThrowsAsync<InvalidOperationException>(() => Create("""{"type": "hermes-directory", "subdirectory": "empty"}""").PullAsync(CancellationToken.None));
        Assert.Contains("empty", empty.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_revision_changes_when_a_file_changes()
    {
        var file = _temp.WriteFile("hermes/app/a.conf", "a");
        var source = Create("""{"type": "hermes-directory", "subdirectory": "app"}""");
        var first = (await source.PullAsync(CancellationToken.None)).Revision;
        Assert.Equal(first, (await source.PullAsync(CancellationToken.None)).Revision);

        File.WriteAllText(file, "changed, and longer");

        Assert.NotEqual(first, (await source.PullAsync(CancellationToken.None)).Revision);
    }

    [Fact]
    public void Triggers_match_by_subdirectory()
    {
        var sub = Create("""{"type": "hermes-directory", "subdirectory": "to-upload"}""");
        var whole = Create("""{"type": "hermes-directory"}""");

        Assert.True(sub.Matches(UpdateTrigger.All));
        Assert.True(sub.Matches(UpdateTrigger.HermesDirectory("to-upload")));
        Assert.True(sub.Matches(UpdateTrigger.HermesDirectory("/to-upload/")));
        Assert.False(sub.Matches(UpdateTrigger.HermesDirectory("other")));
        Assert.False(sub.Matches(UpdateTrigger.HermesDirectory(null)));
        Assert.False(sub.Matches(UpdateTrigger.GitPush("x", "master")));
        Assert.True(whole.Matches(UpdateTrigger.HermesDirectory(null)));
        Assert.True(whole.Matches(UpdateTrigger.HermesDirectory("")));
        Assert.False(whole.Matches(UpdateTrigger.HermesDirectory("to-upload")));
    }

    [Fact]
    public void A_destination_path_without_a_subdirectory_is_an_error() =>
        Assert.Contains("only be set together with \"subdirectory\"", CreateFails("""{"type": "hermes-directory", "destination_path": "x"}""").Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("""{"type": "hermes-directory", "subdirectory": "../etc"}""")]
    [InlineData("""{"type": "hermes-directory", "subdirectory": "/etc"}""")]
    [InlineData("""{"type": "hermes-directory", "subdirectory": "a/../../b"}""")]
    [InlineData("""{"type": "hermes-directory", "subdirectory": "a", "destination_path": "../../root"}""")]
    [InlineData("""{"type": "hermes-directory", "subdirectory": "a", "destination_path": "/root"}""")]
    public void Paths_that_climb_out_are_errors(string json) =>
        Assert.Contains("relative path", CreateFails(json).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("""{"type": "hermes-directory", "subdirectory": 5}""", "\"subdirectory\" must be a string")]
    [InlineData("""{"type": "hermes-directory", "destinations": "armada@office"}""", "\"destinations\" must be a list")]
    public void Wrong_field_types_are_errors(string json, string expected) =>
        Assert.Contains(expected, CreateFails(json).Message, StringComparison.Ordinal);
}
